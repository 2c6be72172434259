import DaulatCore
import Hummingbird
import NIOCore

/// The per-request context: the authenticated token, once ``AuthenticationMiddleware`` has run, and
/// the request's connection, whose event loop a streamed response waits on so that it never runs
/// ahead of the socket, and which it closes on a client that stops reading.
public struct ControlPlaneContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var token: APIToken?
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.token = nil
        self.channel = source.channel
    }

    /// The authenticated caller; every `/v1` handler runs after authentication, so this cannot fail there.
    func caller() throws -> APIToken {
        guard let token else { throw APIError.unauthorized }
        return token
    }

    func requireOperator() throws -> APIToken {
        let token = try caller()
        guard token.role == .operator else {
            throw APIError.forbidden("only an operator token may do this (this token's role is \(token.role.rawValue))")
        }
        return token
    }
}
