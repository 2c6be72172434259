import DaulatCore
import Foundation
import Hummingbird

/// Resolves `Authorization: Bearer <token>` to a stored token by the SHA-256 of the secret.
struct AuthenticationMiddleware<Store: DaulatStore>: RouterMiddleware {
    typealias Context = ControlPlaneContext
    let store: Store
    let cache = TokenCache()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw APIError.unauthorized
        }
        let secret = String(header.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces)
        guard TokenSecret.isWellFormed(secret), let token = try await lookUp(secretHash: TokenSecret.hash(secret)) else {
            throw APIError.unauthorized
        }
        var context = context
        context.token = token
        context.logger[metadataKey: "daulat.token"] = "\(token.id)"
        return try await next(request, context)
    }

    private func lookUp(secretHash: String) async throws -> APIToken? {
        if let cached = cache.token(secretHash: secretHash) { return cached }
        guard let token = try await store.token(secretHash: secretHash) else { return nil }
        cache.remember(token)
        return token
    }
}
