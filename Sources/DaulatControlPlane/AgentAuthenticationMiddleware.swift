import DaulatCore
import Hummingbird
import NIOSSL
import X509

/// Resolves the client certificate of the connection to an agent's or custodian's identity, on every
/// request: a host or custodian revoked while its connection stays open is refused from its next
/// request on.
struct AgentAuthenticationMiddleware<Store: DaulatStore>: RouterMiddleware {
    typealias Context = AgentRequestContext
    let certificates: AgentCertificates<Store>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let channel = context.channel
        let presented = try await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.nioSSL_peerCertificate()
        }.get()
        guard let presented else {
            throw APIError(.unauthorized, code: "certificate_required", message: "a client certificate is required")
        }
        var context = context
        let peer = try await certificates.authenticate(try Certificate(derEncoded: try presented.toDERBytes()))
        context.peer = peer
        context.logger[metadataKey: "daulat.peer"] = "\(peer.name)"
        return try await next(request, context)
    }
}
