import DaulatCore
import DaulatPKI
import Synchronization

/// The alliance charter as the store keeps it, verified once per text: every unwrap checks a consent
/// against it, and checking every authority's signature each time would cost more than the unwrap.
final class EstablishedCharter<Store: DaulatStore>: Sendable {
    let store: Store
    private let verified = Mutex<(text: String, charter: AllianceCharter)?>(nil)

    init(store: Store) { self.store = store }

    /// The charter, or nil while none is established.
    func current() async throws -> AllianceCharter? {
        guard let text = try await store.allianceCharter() else { return nil }
        if let cached = verified.withLock({ $0 }), cached.text == text { return cached.charter }
        // Stored only after it verified; a row edited in the database fails here, not silently.
        let charter: AllianceCharter
        do {
            charter = try SignedCharter(text: text).verified()
        } catch {
            throw APIError(
                .internalServerError, code: "charter_corrupt",
                message: "the stored alliance charter does not verify (\(error)); restore it from the states' copy")
        }
        verified.withLock { $0 = (text, charter) }
        return charter
    }
}
