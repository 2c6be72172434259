import DaulatCore
import Foundation
import Logging

/// Re-reads every copy at a bounded rate and checks it still hashes to what its object's hash is. A copy
/// that does not (a bad sector, a bit flip, a hand that edited it) is set aside and reported in the next
/// inventory, so the control plane has a good copy made again; it is kept in `corrupt/`, for an operator.
struct BlobScrubber: Sendable {
    let blobs: BlobStore
    let state: AgentState
    /// How often every blob is re-read: a pass starts this long after the previous one started.
    let interval: Duration
    /// The most bytes a second the scrub reads, so that it never crowds out transfers.
    let bytesPerSecond: Int
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled {
            let started = ContinuousClock.now
            do {
                try await pass()
            } catch is CancellationError {
                return
            } catch {
                logger.warning("scrub pass failed; will retry", metadata: ["daulat.error": "\(error)"])
            }
            let next = started + interval
            guard (try? await Task.sleep(until: max(next, .now + .seconds(1)))) != nil else { return }
        }
    }

    private func pass() async throws {
        var checked = 0
        var corrupted = 0
        for name in try blobs.inventory() {
            let started = ContinuousClock.now
            var read = 0
            let intact: Bool
            do {
                intact = try await blobs.verify(name) { count in
                    read += count
                    // Sleep off any lead over the rate.
                    let due = Duration.seconds(Double(read) / Double(bytesPerSecond))
                    let elapsed = ContinuousClock.now - started
                    if due > elapsed { try await Task.sleep(for: due - elapsed) }
                }
            } catch let error as BlobError {
                // Released meanwhile, or unreadable for now: judged on the next pass, never on a failed read.
                if error != .notFound {
                    logger.warning(
                        "copy could not be read; will check it again", metadata: ["daulat.object": "\(name.objectID)"])
                }
                continue
            }
            checked += 1
            guard !intact else { continue }
            try blobs.setAside(name)
            state.noteCorrupted(name.objectID)
            corrupted += 1
            logger.error(
                "blob corrupted; set aside in corrupt/, to be copied again from a good copy",
                metadata: ["daulat.object": "\(name.objectID)", "daulat.sha256": "\(name.sha256)"])
        }
        logger.info(
            "scrub pass done", metadata: ["daulat.checked": "\(checked)", "daulat.corrupted": "\(corrupted)"])
    }
}
