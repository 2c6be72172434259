import Foundation
import Testing

/// A `daulat` process started by a test, with its output collected, so tests can drive the real binary
/// the way an operator would (and kill it the way a crash would); or another program a test needs
/// (`psql`, `pg_dump`, Chromium), run the same way.
///
/// Nothing here calls `Process.waitUntilExit()`: off the main thread it spins a run loop that can
/// miss the child's exit and then waits forever, which hung the suite after many processes. Exits
/// are seen by polling `isRunning` under a deadline instead.
public final class DaulatProcess: @unchecked Sendable {
    public let process = Process()
    private let output = Pipe()
    private let lock = NSLock()
    private var collected = Data()

    /// The `daulat` binary beside the test bundle (both are built by `swift build --build-tests`),
    /// or `DAULAT_BINARY`.
    public static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["DAULAT_BINARY"] { return URL(fileURLWithPath: path) }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
            "daulat")
    }

    /// Starts `program` (the `daulat` binary when nil) with `arguments`. Its standard error is
    /// collected with its output unless `discardingErrors`, for programs whose output is data and
    /// whose warnings are noise.
    public init(
        _ arguments: [String], program: String? = nil, environment: [String: String] = [:],
        discardingErrors: Bool = false
    ) throws {
        process.executableURL = program.map(URL.init(fileURLWithPath:)) ?? Self.binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = output
        process.standardError = discardingErrors ? FileHandle.nullDevice : output
        output.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self else { return }
            guard !data.isEmpty else {
                // The end: every writer, the program and any child of it, closed the pipe.
                handle.readabilityHandler = nil
                return
            }
            self.lock.withLock { self.collected += data }
        }
        try process.run()
    }

    /// The output so far, as text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }
    /// The output so far, byte for byte.
    public var bytes: Data { lock.withLock { collected } }

    /// Waits until the output contains `marker` or the process exits; returns the output so far.
    public func waitForOutput(containing marker: String, timeout: Double = 30) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let current = text
            if current.contains(marker) { return current }
            if !process.isRunning {
                throw DaulatProcessError(message: "daulat exited before printing '\(marker)':\n\(current)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw DaulatProcessError(message: "timed out waiting for '\(marker)':\n\(text)")
    }

    /// Kills the process without warning, as a crash or `kill -9` would, and waits until it is gone.
    public func crash() {
        kill(process.processIdentifier, SIGKILL)
        awaitExit(within: 30)
    }

    /// Blocks until the process has exited or `seconds` have passed; whether it exited.
    @discardableResult
    public func awaitExit(within seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        return !process.isRunning
    }

    /// Asks the process to stop (SIGTERM) and waits up to `grace` seconds. One still running then is
    /// killed, as a service manager would, and the test fails saying so with the process's last output:
    /// a daemon that does not stop when asked is a bug, and must not hang the suite.
    public func stop(grace: Double = 30, sourceLocation: SourceLocation = #_sourceLocation) {
        Self.stop([self], grace: grace, sourceLocation: sourceLocation)
    }

    /// Stops several at once: all are asked together and share one grace period, as a host shutting
    /// down would, so a stuck one costs the suite `grace` seconds once, not once each.
    public static func stop(
        _ processes: [DaulatProcess], grace: Double = 30, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for child in processes where child.process.isRunning { child.process.terminate() }
        let deadline = Date().addingTimeInterval(grace)
        while processes.contains(where: \.process.isRunning) && Date() < deadline { usleep(20_000) }
        for child in processes where child.process.isRunning {
            child.crash()
            Issue.record(
                "daulat \(child.process.arguments?.first ?? "") did not stop within \(grace) s of SIGTERM; its last output:\n\(child.text.suffix(4_000))",
                sourceLocation: sourceLocation)
        }
    }

    /// Runs `program` (`daulat` when nil) with `arguments` to completion and returns its exit status
    /// and output; one still running after `timeout` seconds is killed and the test told so.
    public static func run(
        _ arguments: [String], program: String? = nil, environment: [String: String] = [:],
        discardingErrors: Bool = false, timeout: Double = 60
    )
        async throws
        -> (status: Int32, output: String)
    {
        let (status, bytes) = try await runCapturingBytes(
            arguments, program: program, environment: environment, discardingErrors: discardingErrors,
            timeout: timeout)
        return (status, String(decoding: bytes, as: UTF8.self))
    }

    /// As ``run(_:program:environment:discardingErrors:timeout:)``, the output byte for byte: for
    /// output searched for bytes that are not text.
    public static func runCapturingBytes(
        _ arguments: [String], program: String? = nil, environment: [String: String] = [:],
        discardingErrors: Bool = false, timeout: Double = 60
    )
        async throws
        -> (status: Int32, bytes: Data)
    {
        // The output goes to a file, read once the program has exited: whole however busy the machine
        // is, where a pipe's last bytes could still be on their way to a handler the suite's other
        // work keeps waiting.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("daulat-output-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
            throw DaulatProcessError(message: "cannot create \(file.path) for a program's output")
        }
        defer { try? FileManager.default.removeItem(at: file) }
        let output = try FileHandle(forWritingTo: file)
        defer { try? output.close() }
        let process = Process()
        process.executableURL = program.map(URL.init(fileURLWithPath:)) ?? binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = output
        process.standardError = discardingErrors ? FileHandle.nullDevice : output
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline {
                kill(process.processIdentifier, SIGKILL)
                throw DaulatProcessError(
                    message:
                        "\(program ?? "daulat") \(arguments.joined(separator: " ")) did not finish in \(timeout)s")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return (process.terminationStatus, try Data(contentsOf: file))
    }

    deinit {
        output.fileHandleForReading.readabilityHandler = nil
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

public struct DaulatProcessError: Error, CustomStringConvertible {
    public let message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
