/// Runs `operation`, giving up after `limit`: for probes that must answer even when what they probe hangs.
func withDeadline<Result: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async throws -> Result)
    async throws -> Result
{
    try await withThrowingTaskGroup(of: Result?.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let result = first else { throw DeadlineExceeded() }
        return result
    }
}

/// An operation did not finish within its deadline.
struct DeadlineExceeded: Error {}
