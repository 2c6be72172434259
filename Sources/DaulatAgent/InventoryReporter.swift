import DaulatCore
import Foundation
import Logging

/// Tells the control plane every object the agent holds a copy of: at start, every `interval`, at once
/// when the scrub found a corrupted one, and again soon when a copy changed while an inventory was sent.
/// The control plane re-copies what is missing and flags what it does not count; the agent changes
/// nothing on disk for it, but for filing blobs an earlier version kept by hash under the objects the
/// control plane recorded here.
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
                        AgentMessages.Inventory(
                            objects: try blobs.inventory().map(\.objectID), corrupt: corrupt.sorted(),
                            legacy: try blobs.legacyInventory()))
                    if !receipt.adopt.isEmpty {
                        try blobs.adopt(receipt.adopt)
                        state.noteBlobChange()
                        logger.notice(
                            "blobs kept by hash filed under their objects",
                            metadata: ["daulat.adopted": "\(receipt.adopt.count)"])
                    }
                    // A blob stored or released while this inventory was on its way may have been
                    // recorded wrongly (lost, or found again); the next inventory, sent soon (at most
                    // every 30 s while transfers go on), sets it right.
                    if state.blobChangeCount != changes { last = min(sentAt, .now - interval + .seconds(30)) }
                    if !receipt.lost.isEmpty || !receipt.unknown.isEmpty || !receipt.unverified.isEmpty {
                        logger.notice(
                            "inventory reconciled",
                            metadata: [
                                "daulat.lost": "\(receipt.lost.count)",
                                "daulat.unverified": "\(receipt.unverified.count)",
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
