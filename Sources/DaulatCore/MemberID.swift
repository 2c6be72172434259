/// A member of the alliance — an agency, or one of its subsystems — named as X-Road names members:
/// `INSTANCE/CLASS/MEMBER[/SUBSYSTEM]`, e.g. `ASEAN/GOV/ID-BPS/census`. Each part is 1–64 characters
/// of letters, digits, `-`, `_` and `.`; the whole is compared exactly.
public struct MemberID: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    public let instance: String
    public let memberClass: String
    public let memberCode: String
    public let subsystem: String?

    public init(_ text: String) throws(DomainError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard (3...4).contains(parts.count), parts.allSatisfy(Self.isValidPart) else {
            throw DomainError(
                .invalidName,
                "member '\(text)' must be INSTANCE/CLASS/MEMBER or INSTANCE/CLASS/MEMBER/SUBSYSTEM, each part 1-64 characters of letters, digits, '-', '_' and '.'"
            )
        }
        instance = parts[0]
        memberClass = parts[1]
        memberCode = parts[2]
        subsystem = parts.count == 4 ? parts[3] : nil
    }

    public var description: String {
        ([instance, memberClass, memberCode] + (subsystem.map { [$0] } ?? [])).joined(separator: "/")
    }

    public static func < (lhs: MemberID, rhs: MemberID) -> Bool { lhs.description < rhs.description }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(text)
        } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private static func isValidPart(_ part: String) -> Bool {
        (1...64).contains(part.unicodeScalars.count)
            && part.unicodeScalars.allSatisfy { s in
                (s.value >= 65 && s.value <= 90) || (s.value >= 97 && s.value <= 122)
                    || (s.value >= 48 && s.value <= 57)
                    || s == "-" || s == "_" || s == "."
            }
    }
}
