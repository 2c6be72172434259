import DaulatCore
import DaulatPKI
import Synchronization

/// The alliance charter as the store keeps it, read and verified once: every unwrap checks a consent
/// against it, and a charter once established is never replaced (`establishAllianceCharter` keeps the
/// first), so neither a store read nor every authority's signature is needed again per unwrap.
final class EstablishedCharter<Store: DaulatStore>: Sendable {
    let store: Store
    private let verified = Mutex<AllianceCharter?>(nil)

    init(store: Store) { self.store = store }

    /// The charter, or nil while none is established.
    func current() async throws -> AllianceCharter? {
        if let cached = verified.withLock({ $0 }) { return cached }
        guard let text = try await store.allianceCharter() else { return nil }
        // Kept only after it verified; a row edited in the database fails here, not silently.
        let charter: AllianceCharter
        do {
            charter = try SignedCharter(text: text).verified()
        } catch {
            throw APIError(
                .internalServerError, code: "charter_corrupt",
                message: "the stored alliance charter does not verify (\(error)); restore it from the states' copy")
        }
        verified.withLock { $0 = charter }
        return charter
    }

    /// The charter, or a 409 while none is established: no state's signature can be checked without it.
    func required() async throws -> AllianceCharter {
        guard let charter = try await current() else {
            throw APIError(
                .conflict, code: "charter_not_established",
                message: "no alliance charter is established, so no state's signature can be checked yet")
        }
        return charter
    }
}
