import Foundation

/// The one JSON form Daulat writes everywhere (store documents, audit entries, API bodies): keys sorted,
/// instants as ISO 8601 UTC with milliseconds. Stable bytes for the same value make audit diffs and,
/// later, signatures meaningful.
public enum CanonicalJSON {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(format(date))
        }
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = parseDate(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container,
                    debugDescription: "'\(text)' is not an ISO 8601 date-time such as 2026-01-31T00:00:00Z"
                )
            }
            return date
        }
        return decoder
    }

    public static func encode(_ value: some Encodable) throws -> String {
        String(decoding: try encoder().encode(value), as: UTF8.self)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try decoder().decode(type, from: Data(text.utf8))
    }

    public static func format(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        let fraction = milliseconds - seconds * 1000
        let whole = Date(timeIntervalSince1970: Double(seconds)).formatted(.iso8601)
        return String(whole.dropLast()) + "." + String(String(fraction + 1000).dropFirst()) + "Z"
    }

    /// Accepts ISO 8601 with or without fractional seconds, and a bare date (midnight UTC).
    public static func parseDate(_ text: String) -> Date? {
        let dateTime = Date.ISO8601FormatStyle().year().month().day().time(includingFractionalSeconds: true)
        let parsed =
            (try? Date(text, strategy: dateTime.timeZone(separator: .colon)))
            ?? (try? Date(text, strategy: dateTime))
            ?? (try? Date(text, strategy: .iso8601))
            ?? (text.count == 10 ? try? Date(text, strategy: .iso8601.year().month().day()) : nil)
        return parsed.map(rounded)
    }

    /// `date` rounded to whole milliseconds, the precision Daulat keeps, so a stored instant reads back equal.
    public static func rounded(_ date: Date) -> Date {
        Date(timeIntervalSince1970: Double(Int64((date.timeIntervalSince1970 * 1000).rounded())) / 1000)
    }
}
