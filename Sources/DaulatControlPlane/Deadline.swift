import Synchronization

/// Runs `operation`, giving up after `limit`: for probes that must answer even when what they probe
/// hangs and ignores cancellation. The operation runs in a task of its own and is abandoned (cancelled,
/// not awaited) when the deadline passes.
func withDeadline<Result: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async throws -> Result)
    async throws -> Result
{
    let outcome = Outcome<Result>()
    return try await withCheckedThrowingContinuation { continuation in
        let work = Task {
            do {
                outcome.finish(continuation, with: .success(try await operation()))
            } catch {
                outcome.finish(continuation, with: .failure(error))
            }
        }
        Task {
            try? await Task.sleep(for: limit)
            if outcome.finish(continuation, with: .failure(DeadlineExceeded())) { work.cancel() }
        }
    }
}

/// Resumes a continuation once, whichever of the work and the timer comes first.
private final class Outcome<Value: Sendable>: Sendable {
    private let done = Mutex(false)

    @discardableResult
    func finish(_ continuation: CheckedContinuation<Value, any Error>, with result: Result<Value, any Error>) -> Bool {
        let first = done.withLock { done in
            defer { done = true }
            return !done
        }
        if first { continuation.resume(with: result) }
        return first
    }
}

/// An operation did not finish within its deadline.
struct DeadlineExceeded: Error {}
