import DaulatCore
import Foundation
import Logging

/// Tells the control plane every blob the agent holds: at start, every `interval`, at once when the
/// scrub found a corrupted one, and again soon when a blob changed while an inventory was sent. The control plane re-copies what is missing and records what it
/// did not know of; the agent changes nothing on disk for it.
struct InventoryReporter: Sendable {
    let blobs: BlobStore
    let state: AgentState
    let interval: Duration
    let logger: Logger

    func run() async throws {
        var last: ContinuousClock.Instant?
        while !Task.isCancelled {
            if last.map({ ContinuousClock.now - $0 >= interval }) ?? true || state.hasCorrupted {
                let sentAt = ContinuousClock.now
                last = sentAt
                let corrupt = state.takeCorrupted()
                let changes = state.blobChangeCount
                do {
                    let receipt = try await state.connection.inventory(
                        AgentMessages.Inventory(blobs: try blobs.inventory(), corrupt: corrupt.sorted()))
                    // A blob stored or released while this inventory was on its way may have been
                    // recorded wrongly (lost, or found again); the next inventory, sent soon (at most
                    // every 30 s while transfers go on), sets it right.
                    if state.blobChangeCount != changes { last = min(sentAt, .now - interval + .seconds(30)) }
                    if !receipt.lost.isEmpty || !receipt.found.isEmpty || !receipt.unknown.isEmpty {
                        logger.notice(
                            "inventory reconciled",
                            metadata: [
                                "daulat.lost": "\(receipt.lost.count)", "daulat.found": "\(receipt.found.count)",
                                "daulat.unknown": "\(receipt.unknown.count)",
                            ])
                    }
                } catch  where !Task.isCancelled {
                    // Reported with the next attempt, a few seconds from now.
                    corrupt.forEach(state.noteCorrupted)
                    last = ContinuousClock.now - interval + .seconds(5)
                    logger.warning("inventory failed; will retry", metadata: ["daulat.error": "\(error)"])
                }
            }
            guard (try? await Task.sleep(for: .seconds(1))) != nil else { return }
        }
    }
}
