import DaulatCore
import Foundation
import Hummingbird

/// Resolves `Authorization: Bearer <token>` to a live stored token by the SHA-256 of the secret: one
/// expired or revoked is refused like one that never existed.
struct AuthenticationMiddleware<Store: DaulatStore>: RouterMiddleware {
    typealias Context = ControlPlaneContext
    let store: Store
    let cache: TokenCache
    let clock: @Sendable () -> Date

    /// How stale a token's "last used" may be: it is written at most this often.
    static var lastUseResolution: TimeInterval { 60 }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw APIError.unauthorized
        }
        let secret = String(header.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces)
        guard TokenSecret.isWellFormed(secret), let token = try await lookUp(secretHash: TokenSecret.hash(secret))
        else {
            throw APIError.unauthorized
        }
        var context = context
        context.token = token
        context.logger[metadataKey: "daulat.token"] = "\(token.id)"
        return try await next(request, context)
    }

    private func lookUp(secretHash: String) async throws -> APIToken? {
        let now = clock()
        if let cached = cache.token(secretHash: secretHash), cached.isLive(at: now) { return cached }
        guard var token = try await store.token(secretHash: secretHash), token.isLive(at: now) else { return nil }
        if token.lastUsedAt.map({ now.timeIntervalSince($0) >= Self.lastUseResolution }) ?? true {
            token.lastUsedAt = CanonicalJSON.rounded(now)
            try await store.noteTokenUse(id: token.id, at: CanonicalJSON.rounded(now))
        }
        cache.remember(token)
        return token
    }
}
