import AsyncHTTPClient
import Foundation

/// Processes the benchmarks start beside themselves: `daulat` servers and agents (this same binary)
/// and the tools they compare against.
enum ChildProcess {
    /// Starts `executable` (this binary when nil) with `arguments`, its output appended to `log` or
    /// discarded.
    static func launch(_ arguments: [String], executable: String? = nil, log: URL? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(
            fileURLWithPath: try executable.map(ExternalTool.locate) ?? CommandLine.arguments[0])
        process.arguments = arguments
        if let log {
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
        } else {
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
        }
        try process.run()
        return process
    }

    /// Stops a process started here and waits for it: SIGTERM, then SIGKILL after 30 seconds.
    ///
    /// The exit is seen by polling `isRunning`, not with `Process.waitUntilExit()`, whose run loop
    /// off the main thread can miss the child's exit and wait forever.
    static func stop(_ process: Process) {
        if process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        let killed = Date().addingTimeInterval(10)
        while process.isRunning && Date() < killed { usleep(10_000) }
    }

    /// Waits until the `daulat` server at `url` answers `/readyz`; `client` trusts its certificate.
    static func waitUntilReady(_ url: String, client: HTTPClient = .shared) async throws {
        for _ in 0..<200 {
            if let response = try? await client.execute(HTTPClientRequest(url: url + "/readyz"), timeout: .seconds(2)),
                response.status == .ok
            {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ClientError(message: "daulat server did not become ready at \(url)")
    }
}
