import Synchronization

/// Whether a streamed response is stuck on its client: a write that the client does not take within a
/// limit cuts it off, so that it cannot hold what the stream holds (a database connection, a snapshot)
/// for as long as it likes. Only the time spent waiting on the client counts, never the time the
/// server spends reading what to write.
final class StreamProgress: Sendable {
    /// When the write in progress began; nil between writes.
    private let writingSince = Mutex<ContinuousClock.Instant?>(nil)

    func writing() { writingSince.withLock { $0 = .now } }

    func written() { writingSince.withLock { $0 = nil } }

    func stalled(for limit: Duration) -> Bool {
        writingSince.withLock { since in since.map { ContinuousClock.now - $0 > limit } ?? false }
    }
}
