import DaulatCore
import Foundation
import Logging
import Synchronization

/// Writes each log entry to standard error as one JSON object on one line: `time`, `level`, `logger`,
/// `message`, `source`, then every metadata field under its own name (`daulat.dataset`,
/// `daulat.agent`, `hb.request.id`, …), so that a collector can search by dataset, agent or request.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider

    /// Lines from many threads must not interleave.
    private static let output = Mutex(())

    init(label: String) { self.label = label }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields = metadata
        if let provided = metadataProvider?.get() { fields.merge(provided) { _, provided in provided } }
        if let given = event.metadata { fields.merge(given) { _, given in given } }
        var line = "{\"time\":\(Self.quoted(CanonicalJSON.format(Date())))"
        line += ",\"level\":\(Self.quoted(event.level.rawValue)),\"logger\":\(Self.quoted(label))"
        line += ",\"message\":\(Self.quoted(event.message.description)),\"source\":\(Self.quoted(event.source))"
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
            line += ",\(Self.quoted(key)):\(Self.json(value))"
        }
        line += "}\n"
        Self.output.withLock { _ in FileHandle.standardError.write(Data(line.utf8)) }
    }

    private static func json(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): quoted(text)
        case .stringConvertible(let convertible): quoted(convertible.description)
        case .array(let values): "[" + values.map(json).joined(separator: ",") + "]"
        case .dictionary(let values):
            "{" + values.sorted { $0.key < $1.key }.map { quoted($0.key) + ":" + json($0.value) }.joined(separator: ",")
                + "}"
        }
    }

    /// A JSON string: quotes, backslashes and control characters escaped.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
