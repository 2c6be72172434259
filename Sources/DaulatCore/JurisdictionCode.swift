import Foundation

/// An ISO 3166-1 alpha-2 code naming a legal territory (`ID`, `SG`, `EE`, …).
///
/// Only the shape is checked here; whether the alliance knows the code is a question for ``Alliance``.
public struct JurisdictionCode: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(_ rawValue: String) throws(DomainError) {
        guard rawValue.count == 2, rawValue.unicodeScalars.allSatisfy({ $0.value >= 65 && $0.value <= 90 }) else {
            throw DomainError(
                .invalidJurisdictionCode,
                "'\(rawValue)' is not an ISO 3166-1 alpha-2 code (two upper-case letters, e.g. ID, SG, EE)"
            )
        }
        self.rawValue = rawValue
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        do {
            try self.init(raw)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static func < (lhs: JurisdictionCode, rhs: JurisdictionCode) -> Bool { lhs.rawValue < rhs.rawValue }
}
