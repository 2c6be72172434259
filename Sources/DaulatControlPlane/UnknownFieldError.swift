/// A request body named a field that the endpoint does not know: refused rather than silently ignored,
/// so that a misspelt policy field cannot quietly weaken a policy.
public struct UnknownFieldError: Error, CustomStringConvertible, Sendable {
    public let field: String
    public let allowed: [String]

    public var description: String {
        "unknown field '\(field)'; allowed: \(allowed.joined(separator: ", "))"
    }
}

/// The field names an object may carry, checked before it is decoded.
public enum StrictObject {
    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int?
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public static func check(_ decoder: any Decoder, allowed: [String]) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        let prefix = decoder.codingPath.map(\.stringValue).joined(separator: ".")
        for key in container.allKeys where !allowed.contains(key.stringValue) {
            throw UnknownFieldError(field: prefix.isEmpty ? key.stringValue : "\(prefix).\(key.stringValue)", allowed: allowed)
        }
    }
}
