import Foundation

/// Runs a tool the benchmarks compare against (`pgbench`, `crushtool`) and returns its output.
enum ExternalTool {
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try locate(executable))
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let output = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw ClientError(message: "\(executable) \(arguments.joined(separator: " ")) failed:\n\(output)")
        }
        return output
    }

    /// Finds `name` on the PATH or among PostgreSQL's binaries.
    static func locate(_ name: String) throws -> String {
        if name.hasPrefix("/") { return name }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":").map(String.init) + ["/usr/lib/postgresql/15/bin"] {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw ClientError(message: "\(name) is not installed; scripts/bench installs it")
    }
}
