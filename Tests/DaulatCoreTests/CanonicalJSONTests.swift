import DaulatCore
import Foundation
import Testing

@Suite("Canonical JSON")
struct CanonicalJSONTests {
    struct Stamped: Codable, Equatable {
        var at: Date
    }

    static let instants: [(milliseconds: Int64, text: String)] = [
        (0, "1970-01-01T00:00:00.000Z"),
        (1, "1970-01-01T00:00:00.001Z"),
        (999, "1970-01-01T00:00:00.999Z"),
        (1_999, "1970-01-01T00:00:01.999Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
        (-999, "1969-12-31T23:59:59.001Z"),
        (-1_000, "1969-12-31T23:59:59.000Z"),
        (-1_001, "1969-12-31T23:59:58.999Z"),
        (-86_400_000, "1969-12-31T00:00:00.000Z"),
        (-2_208_988_800_001, "1899-12-31T23:59:59.999Z"),
        (1_769_817_600_000, "2026-01-31T00:00:00.000Z"),
        (1_769_817_600_123, "2026-01-31T00:00:00.123Z"),
        (1_769_817_599_999, "2026-01-30T23:59:59.999Z"),
        (1_782_863_999_999, "2026-06-30T23:59:59.999Z"),
        (4_102_444_800_500, "2100-01-01T00:00:00.500Z"),
    ]

    @Test("instants format as ISO 8601 UTC with exactly three fractional digits", arguments: instants)
    func format(milliseconds: Int64, text: String) {
        #expect(CanonicalJSON.format(Fixture.milliseconds(milliseconds)) == text)
    }

    @Test("instants round-trip exactly at millisecond precision", arguments: instants)
    func roundTrip(milliseconds: Int64, text: String) throws {
        let date = Fixture.milliseconds(milliseconds)
        let parsed = try #require(CanonicalJSON.parseDate(CanonicalJSON.format(date)))
        #expect(parsed == date)
        let encoded = try CanonicalJSON.encode(Stamped(at: date))
        #expect(encoded == #"{"at":"\#(text)"}"#)
        #expect(try CanonicalJSON.decode(Stamped.self, from: encoded) == Stamped(at: date))
    }

    @Test("every millisecond of a second on both sides of the epoch round-trips")
    func everyMillisecond() throws {
        for base: Int64 in [-3_000, 1_769_817_600_000] {
            for offset: Int64 in 0..<2_000 {
                let date = Fixture.milliseconds(base + offset)
                let text = CanonicalJSON.format(date)
                #expect(text.count == 24, "\(text)")
                #expect(CanonicalJSON.parseDate(text) == date, "\(base + offset) formatted as \(text)")
            }
        }
    }

    @Test("formatting agrees with Foundation's ISO 8601 parser from 1583 to 9999")
    func agreesWithFoundation() throws {
        var generator = SystemRandomNumberGenerator()
        // From the first whole Gregorian year: before it Foundation's calendar is Julian, ISO 8601's is not.
        let first: Int64 = -12_212_553_600_000  // 1583-01-01T00:00:00.000Z
        let last: Int64 = 253_402_300_799_999  // 9999-12-31T23:59:59.999Z
        for _ in 0..<20_000 {
            let milliseconds = Int64.random(in: first...last, using: &generator)
            let date = Fixture.milliseconds(milliseconds)
            let text = CanonicalJSON.format(date)
            // Foundation parses fractions through floating point; rounding to the millisecond is exact.
            let parsed = try Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
            #expect(text.count == 24 && CanonicalJSON.rounded(parsed) == date, "\(milliseconds) formatted as \(text)")
        }
    }

    @Test("instants finer than a millisecond are rounded to the nearest millisecond")
    func rounding() {
        #expect(CanonicalJSON.format(Date(timeIntervalSince1970: 0.0004)) == "1970-01-01T00:00:00.000Z")
        #expect(CanonicalJSON.format(Date(timeIntervalSince1970: 0.0006)) == "1970-01-01T00:00:00.001Z")
        #expect(CanonicalJSON.format(Date(timeIntervalSince1970: 0.9996)) == "1970-01-01T00:00:01.000Z")
        #expect(CanonicalJSON.format(Date(timeIntervalSince1970: -0.0004)) == "1970-01-01T00:00:00.000Z")
        #expect(CanonicalJSON.format(Date(timeIntervalSince1970: -0.0006)) == "1969-12-31T23:59:59.999Z")
        #expect(CanonicalJSON.rounded(Date(timeIntervalSince1970: 12.3456)) == Date(timeIntervalSince1970: 12.346))
        #expect(CanonicalJSON.rounded(Date(timeIntervalSince1970: -12.3456)) == Date(timeIntervalSince1970: -12.346))
    }

    // MARK: Keys

    struct Unordered: Codable {
        struct Inner: Codable {
            var zulu: Bool
            var alpha: Bool
        }

        var zeta: String
        var mike: Inner
        var alpha: Int
        var bravo: [String: Int]
    }

    @Test("keys are sorted at every level and slashes are not escaped")
    func sortedKeys() throws {
        let value = Unordered(
            zeta: "a/b",
            mike: Unordered.Inner(zulu: true, alpha: false),
            alpha: 1,
            bravo: ["y": 2, "b": 1, "m": 3]
        )
        #expect(
            try CanonicalJSON.encode(value)
                == #"{"alpha":1,"bravo":{"b":1,"m":3,"y":2},"mike":{"alpha":false,"zulu":true},"zeta":"a/b"}"#
        )
    }

    @Test("the same value always encodes to the same bytes, sets included")
    func stableBytes() throws {
        let codes = ["SG", "ID", "MY", "EE", "FI", "LU"]
        let policy = ResidencyPolicy(
            storage: Set(codes.map(Fixture.code)),
            keys: Fixture.codes("ID"),
            processing: Set(codes.reversed().map(Fixture.code)),
            replicas: 3
        )
        let dataset = Fixture.dataset("census-2025", policy: policy)
        let first = try CanonicalJSON.encode(dataset)
        var generator = SystemRandomNumberGenerator()
        for round in 0..<50 {
            var copy = dataset
            var storage = Set<JurisdictionCode>(minimumCapacity: round)
            for code in codes.shuffled(using: &generator) { storage.insert(Fixture.code(code)) }
            copy.policy.storage = storage
            copy.policy.processing = try CanonicalJSON.decode(
                ResidencyPolicy.self, from: try CanonicalJSON.encode(policy)
            ).processing
            #expect(copy == dataset)
            #expect(try CanonicalJSON.encode(copy) == first)
        }
        #expect(first.contains(#""storage":["EE","FI","ID","LU","MY","SG"]"#))
        #expect(first.contains(#""createdAt":"2025-06-01T00:00:00.000Z""#))
        #expect(first.hasPrefix(#"{"classification":"restricted","createdAt":"#))
        #expect(try CanonicalJSON.decode(Dataset.self, from: first) == dataset)
    }

    @Test("a policy leaves out the fields it does not set")
    func policyOmitsAbsentFields() throws {
        #expect(try CanonicalJSON.encode(ResidencyPolicy()) == "{}")
        let policy = ResidencyPolicy(storage: Fixture.codes("SG", "ID"), replicas: 2, homeReplicaRequired: false)
        let text = try CanonicalJSON.encode(policy)
        #expect(text == #"{"homeReplicaRequired":false,"replicas":2,"storage":["ID","SG"]}"#)
        #expect(try CanonicalJSON.decode(ResidencyPolicy.self, from: text) == policy)
    }

    // MARK: Parsing

    @Test(
        "parseDate accepts dates, date-times with or without fractions, and offsets",
        arguments: [
            ("2026-01-31", 1_769_817_600_000),
            ("2026-01-31T00:00:00Z", 1_769_817_600_000),
            ("2026-01-31T00:00:00.123Z", 1_769_817_600_123),
            ("2026-01-31T00:00:00.999Z", 1_769_817_600_999),
            ("2026-01-31T07:00:00+07:00", 1_769_817_600_000),
            ("2026-01-30T19:00:00-05:00", 1_769_817_600_000),
            ("2026-01-31T07:00:00.250+07:00", 1_769_817_600_250),
            ("2026-01-31T05:30:00+05:30", 1_769_817_600_000),
            ("1969-12-31T23:59:59.999Z", -1),
            ("2017-06-20T00:00:00Z", 1_497_916_800_000),
        ] as [(String, Int64)]
    )
    func parseAccepts(text: String, milliseconds: Int64) throws {
        let parsed = try #require(CanonicalJSON.parseDate(text))
        #expect(parsed == Fixture.milliseconds(milliseconds), "\(text) parsed as \(CanonicalJSON.format(parsed))")
    }

    @Test(
        "parseDate refuses what is not an ISO 8601 date",
        arguments: [
            "", "garbage", "tomorrow", "31/01/2026", "01/31/2026", "2026-13-01", "2026-01-32",
            "2026-1-31", "20260131x", "2026-01-31junk", "2026-01-31 12:00:00Z", "2026-01-31T12:30Z", "1769817600",
        ]
    )
    func parseRefuses(text: String) {
        #expect(
            CanonicalJSON.parseDate(text) == nil,
            "\(text) parsed as \(CanonicalJSON.parseDate(text).map(CanonicalJSON.format) ?? "")")
    }

    @Test("decoding a malformed instant fails with a message naming the input")
    func decodeRefuses() throws {
        let error = try #require(throws: DecodingError.self) {
            try CanonicalJSON.decode(Stamped.self, from: #"{"at":"next tuesday"}"#)
        }
        guard case .dataCorrupted(let context) = error else {
            Issue.record("expected dataCorrupted, got \(error)")
            return
        }
        #expect(context.debugDescription.contains("next tuesday"))
    }
}
