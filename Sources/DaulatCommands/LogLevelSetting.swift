import Foundation
import Logging

/// How much every `daulat` process logs: `DAULAT_LOG_LEVEL` (trace, debug, info, notice, warning,
/// error, critical), `info` when unset. Set once, before any logger is made.
public enum LogLevelSetting {
    public static let variable = "DAULAT_LOG_LEVEL"

    /// The level `environment` asks for; an error naming the choices when it is not one.
    public static func level(from environment: [String: String]) throws -> Logger.Level {
        guard let text = environment[variable] else { return .info }
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw LogLevelError(
                message:
                    "\(variable) must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")) (got '\(text)')"
            )
        }
        return level
    }

    /// Logs to standard error, at the level the environment asks for.
    public static func bootstrap(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let level = try level(from: environment)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}

/// A `DAULAT_LOG_LEVEL` that is not a level.
public struct LogLevelError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
