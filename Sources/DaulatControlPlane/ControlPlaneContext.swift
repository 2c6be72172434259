import DaulatCore
import Hummingbird

/// The per-request context: the authenticated token, once ``AuthenticationMiddleware`` has run.
public struct ControlPlaneContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var token: APIToken?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.token = nil
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
