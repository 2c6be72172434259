import DaulatCore
import Foundation
import Logging

/// Tells the control plane every blob the agent holds: at start, every `interval`, and at once when
/// the scrub found a corrupted one. The control plane re-copies what is missing and records what it
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
                last = ContinuousClock.now
                let corrupt = state.takeCorrupted()
                do {
                    let receipt = try await state.connection.inventory(
                        AgentMessages.Inventory(blobs: try blobs.inventory(), corrupt: corrupt.sorted()))
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
