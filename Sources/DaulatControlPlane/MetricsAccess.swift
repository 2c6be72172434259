import Crypto
import DaulatCore
import Foundation
import Hummingbird

/// Who may read `/metrics`: it counts key unwraps by justification (law-enforcement requests among
/// them), which is no one's business but the operator's and its monitoring's. A request needs
/// `Authorization: Bearer` with the metrics token the server was given (for a scraper, which holds
/// nothing else) or a live operator token.
struct MetricsAccess<Store: DaulatStore>: Sendable {
    let store: Store
    /// SHA-256 of the configured metrics token, if one was given: compared in constant time.
    let metricsTokenHash: SHA256.Digest?
    let clock: @Sendable () -> Date

    init(store: Store, metricsToken: String?, clock: @escaping @Sendable () -> Date) {
        self.store = store
        self.metricsTokenHash = metricsToken.map { SHA256.hash(data: Data($0.utf8)) }
        self.clock = clock
    }

    func authorize(_ request: Request) async throws {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw Self.refusal
        }
        let secret = String(header.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces)
        // Digests of equal length compare without leaking where they differ.
        if let expected = metricsTokenHash, SHA256.hash(data: Data(secret.utf8)) == expected { return }
        guard TokenSecret.isWellFormed(secret), let token = try await store.token(secretHash: TokenSecret.hash(secret)),
            token.isLive(at: clock()), token.role == .operator
        else { throw Self.refusal }
    }

    private static var refusal: APIError {
        APIError(
            .unauthorized, code: "unauthorized",
            message: "/metrics needs the server's metrics token (DAULAT_METRICS_TOKEN) or an operator token")
    }
}
