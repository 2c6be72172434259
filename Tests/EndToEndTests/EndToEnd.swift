import DaulatTestSupport
import Foundation
import Testing

/// Every end-to-end suite runs the real binary, often several processes at once; they take turns, so
/// that together they do not starve each other (or the other tests) of this machine's cores. Each
/// test has a few minutes at most (they take seconds): one that hangs fails, and the others still run.
@Suite("End to end", .serialized, .timeLimit(.minutes(4)))
enum EndToEnd {
    /// Polls `condition` every 250 ms for up to `seconds`, running `check` at every poll; whether it
    /// came true.
    static func eventually(
        _ seconds: Double, check: () async throws -> Void = {}, _ condition: () async throws -> Bool
    ) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            try await check()
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(250))
        }
        return try await condition()
    }

    /// The hosts holding a verified copy of the dataset's first object, as `daulat dataset objects` shows.
    static func holders(of dataset: String, environment: [String: String]) async throws -> Set<String> {
        let listed = try await DaulatProcess.run(
            ["dataset", "objects", dataset, "--output", "json"], environment: environment)
        let object =
            ((try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [String: Any])?["objects"]
            as? [[String: Any]])?.first
        return Set(object?["holders"] as? [String] ?? [])
    }
}
