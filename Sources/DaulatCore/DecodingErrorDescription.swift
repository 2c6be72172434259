/// Turns a `DecodingError` into one sentence naming the field path, for API and configuration errors.
public enum DecodingErrorDescription {
    public static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            let joined = codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
                .reduce("") { partial, next in
                    next.hasPrefix("[") || partial.isEmpty ? partial + next : partial + "." + next
                }
            return joined.isEmpty ? "the document" : "'\(joined)'"
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)) has the wrong type (expected \(readable(type)))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)) is null but must be \(readable(type))"
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])) is required"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "the body is not valid JSON" }
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "the document could not be read"
        }
    }

    private static func readable(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "an integer"
        case is Bool.Type: "a boolean"
        case is Double.Type: "a number"
        default: "\(type)".contains("Array") ? "an array" : "an object"
        }
    }
}
