import Foundation

/// A process's peak resident memory (Linux's VmHWM), for the benchmarks' memory figures.
enum PeakMemory {
    /// In MiB, of `process` ("self" or a process id).
    static func mebibytes(of process: String = "self") throws -> Double {
        let status = try String(contentsOfFile: "/proc/\(process)/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kibibytes = Double(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else {
            throw ClientError(message: "no VmHWM for process \(process)")
        }
        return kibibytes / 1024
    }

    /// Starts a new measurement for `process` ("self" or a process id): writing 5 to clear_refs
    /// resets VmHWM.
    static func reset(_ process: String = "self") {
        try? "5".write(toFile: "/proc/\(process)/clear_refs", atomically: false, encoding: .utf8)
    }
}
