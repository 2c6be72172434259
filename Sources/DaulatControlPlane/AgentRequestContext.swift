import DaulatPKI
import Hummingbird
import NIOCore

/// The per-request context on the agent listener: the connection (whose TLS handshake carries the
/// agent's certificate) and, once ``AgentAuthenticationMiddleware`` has run, who the agent is.
public struct AgentRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    let channel: any Channel
    var agent: AgentIdentity?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
        self.agent = nil
    }

    func requireAgent() throws -> AgentIdentity {
        guard let agent else {
            throw APIError(
                .unauthorized, code: "certificate_required",
                message: "a client certificate issued by this control plane is required")
        }
        return agent
    }
}
