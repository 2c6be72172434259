import DaulatCore
import Foundation
import Logging

/// Carries shreds through, on the leading control plane: executes each whose pending window has
/// ended, and completes each executing one once its custodians have destroyed their keys and its
/// agents deleted their copies.
struct ShredExecutor<Store: DaulatStore>: Sendable {
    static var actor: String { "system:shredder" }

    let store: Store
    let logger: Logger

    /// Whether a shred executed or completed: agents then have copies to delete, or none.
    func advance(at now: Date) async throws -> Bool {
        var changed = false
        for shred in try await store.activeShreds() {
            switch shred.state {
            case .pending where shred.executeAt <= now:
                guard let executed = try await store.executeShred(id: shred.id, at: now, actor: Self.actor) else {
                    continue
                }
                logger.notice(
                    "dataset shredded: its keys dropped here, custodians to destroy theirs, agents to delete copies",
                    metadata: ["daulat.dataset": "\(executed.datasetID)", "daulat.shred": "\(executed.id)"])
                changed = true
            case .executing:
                if try await store.completeShred(id: shred.id, at: now, actor: Self.actor) {
                    logger.notice(
                        "shred complete: keys destroyed and copies deleted",
                        metadata: ["daulat.dataset": "\(shred.datasetID)", "daulat.shred": "\(shred.id)"])
                    changed = true
                }
            default:
                continue
            }
        }
        return changed
    }
}
