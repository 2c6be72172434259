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

    /// `yyyy-MM-ddTHH:mm:ss.SSSZ` in UTC, computed from the day count (proleptic Gregorian calendar)
    /// rather than through a calendar object: every stored document and response formats its instants,
    /// so this is on the hot path of every write.
    public static func format(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let millisecondsPerDay: Int64 = 86_400_000
        let days = milliseconds >= 0 ? milliseconds / millisecondsPerDay : (milliseconds + 1 - millisecondsPerDay) / millisecondsPerDay
        let ofDay = milliseconds - days * millisecondsPerDay
        // Days since 1970-01-01 to a civil date (H. Hinnant, "chrono-compatible low-level date algorithms").
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)

        var text = ""
        text.reserveCapacity(24)
        func append(_ value: Int64, digits: Int) {
            let decimal = String(value)
            text += String(repeating: "0", count: max(0, digits - decimal.count)) + decimal
        }
        if year < 0 { text += "-" }
        append(abs(year), digits: 4)
        text += "-"
        append(month, digits: 2)
        text += "-"
        append(day, digits: 2)
        text += "T"
        append(ofDay / 3_600_000, digits: 2)
        text += ":"
        append(ofDay / 60_000 % 60, digits: 2)
        text += ":"
        append(ofDay / 1_000 % 60, digits: 2)
        text += "."
        append(ofDay % 1_000, digits: 3)
        text += "Z"
        return text
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
