import DaulatCore
import Foundation

/// The `at` query parameter that asks for a state at some instant (a dataset's history, a report as
/// at a past time): an ISO 8601 time, or a 400 saying so.
enum InstantParameter {
    static func parse(_ value: Substring) throws -> Date {
        guard let parsed = CanonicalJSON.parseDate(String(value)) else {
            throw APIError.invalidParameter("'at' must be an ISO 8601 time, e.g. 2026-11-29T12:00:00Z")
        }
        return parsed
    }
}
