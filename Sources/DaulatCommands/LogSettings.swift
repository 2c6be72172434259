import Foundation
import Logging

/// How every `daulat` process logs: `DAULAT_LOG_LEVEL` (trace, debug, info, notice, warning, error,
/// critical; `info` when unset) and `DAULAT_LOG_FORMAT` (`text` for people, `json` for a log
/// collector: one object a line with the metadata — dataset, object, host, agent, request — as
/// fields). Set once, before any logger is made.
public enum LogSettings {
    public static let levelVariable = "DAULAT_LOG_LEVEL"
    public static let formatVariable = "DAULAT_LOG_FORMAT"

    /// The level `environment` asks for; an error naming the choices when it is not one.
    public static func level(from environment: [String: String]) throws -> Logger.Level {
        guard let text = environment[levelVariable] else { return .info }
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw LogSettingError(
                message:
                    "\(levelVariable) must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")) (got '\(text)')"
            )
        }
        return level
    }

    /// Whether `environment` asks for JSON lines; an error naming the choices when it asks for neither.
    public static func json(from environment: [String: String]) throws -> Bool {
        switch environment[formatVariable]?.lowercased() {
        case nil, "text": return false
        case "json": return true
        case let other?: throw LogSettingError(message: "\(formatVariable) must be text or json (got '\(other)')")
        }
    }

    /// Logs to standard error, at the level and in the format the environment asks for.
    public static func bootstrap(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let level = try level(from: environment)
        let json = try json(from: environment)
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler =
                json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}

/// A `DAULAT_LOG_LEVEL` or `DAULAT_LOG_FORMAT` that is not one of the choices.
public struct LogSettingError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
