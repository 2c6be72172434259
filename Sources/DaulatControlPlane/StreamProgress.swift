import Synchronization

/// When a streamed response last moved: a client that stops reading is cut off after a while, so that
/// it cannot hold what the stream holds (a database connection, a snapshot) for as long as it likes.
final class StreamProgress: Sendable {
    private let last = Mutex(ContinuousClock.now)

    func advanced() { last.withLock { $0 = .now } }

    func stalled(for limit: Duration) -> Bool {
        last.withLock { ContinuousClock.now - $0 > limit }
    }
}
