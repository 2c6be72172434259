import DaulatPKI
import Hummingbird
import NIOCore

/// The per-request context on the agent listener: the connection (whose TLS handshake carries the
/// peer's certificate) and, once ``AgentAuthenticationMiddleware`` has run, which agent or custodian
/// it is.
public struct AgentRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    let channel: any Channel
    var peer: EnrolledPeer?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
        self.peer = nil
    }

    func requireAgent() throws -> AgentIdentity {
        guard case .agent(let agent) = try requirePeer() else {
            throw APIError(
                .forbidden, code: "certificate_not_agent", message: "only agents may use /agent/v1")
        }
        return agent
    }

    func requireCustodian() throws -> CustodianIdentity {
        guard case .custodian(let custodian) = try requirePeer() else {
            throw APIError(
                .forbidden, code: "certificate_not_custodian", message: "only custodians may use /custodian/v1")
        }
        return custodian
    }

    private func requirePeer() throws -> EnrolledPeer {
        guard let peer else {
            throw APIError(
                .unauthorized, code: "certificate_required",
                message: "a client certificate issued by this control plane is required")
        }
        return peer
    }
}
