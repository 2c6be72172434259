import DaulatCore
import Foundation
import Testing

@Suite("Agreements")
struct AgreementTests {
    // MARK: Standing

    static func act(_ action: AgreementAction, by party: String, at seconds: TimeInterval = 0) throws -> AgreementAct {
        AgreementAct(
            agreement: "id-sg", version: 1, action: action, party: try JurisdictionCode(party),
            at: Date(timeIntervalSince1970: 1_800_000_000 + seconds))
    }

    @Test("a draft is in force only once every party signed; no act but termination applies to a draft")
    func draft() throws {
        #expect(AgreementStanding(signedByEveryParty: false).status == .draft)
        #expect(AgreementStanding(signedByEveryParty: true).status == .inForce)
        let draft = AgreementStanding(signedByEveryParty: false)
        for action in [AgreementAction.suspend, .resume] {
            expectDomainError(.invalidTransition, "draft + \(action)") {
                _ = try draft.applying(try Self.act(action, by: "ID"))
            }
        }
        #expect(try draft.applying(try Self.act(.terminate, by: "SG")).status == .terminated)
    }

    @Test("a suspension holds until the party that made it lifts it; another party cannot")
    func suspensionBelongsToItsParty() throws {
        var standing = AgreementStanding(signedByEveryParty: true)
        standing = try standing.applying(try Self.act(.suspend, by: "ID"))
        #expect(standing.status == .suspended)
        let error = try #require(throws: DomainError.self) { try standing.applying(try Self.act(.resume, by: "SG")) }
        #expect(error.message.contains("suspended by ID"))
        standing = try standing.applying(try Self.act(.suspend, by: "SG"))
        expectDomainError(.invalidTransition, "a second suspension by the same party") {
            _ = try standing.applying(try Self.act(.suspend, by: "SG"))
        }
        standing = try standing.applying(try Self.act(.resume, by: "ID"))
        #expect(standing.status == .suspended, "SG still holds it suspended")
        #expect(standing.suspendedBy == [try JurisdictionCode("SG")])
        standing = try standing.applying(try Self.act(.resume, by: "SG"))
        #expect(standing.status == .inForce)
    }

    @Test("termination by any one party is final")
    func terminationIsFinal() throws {
        var standing = AgreementStanding(signedByEveryParty: true)
        standing = try standing.applying(try Self.act(.suspend, by: "ID"))
        standing = try standing.applying(try Self.act(.terminate, by: "SG"))
        #expect(standing.status == .terminated)
        for action in AgreementAction.allCases {
            expectDomainError(.invalidTransition, "terminated + \(action)") {
                _ = try standing.applying(try Self.act(action, by: "ID"))
            }
        }
    }

    // MARK: Validation

    @Test("the example agreements are valid")
    func examplesValid() throws {
        for agreement in Fixture.agreements {
            try agreement.validate(in: Fixture.alliance)
        }
    }

    struct InvalidCase: Sendable, CustomTestStringConvertible {
        var label: String
        var agreement: Agreement
        var code: DomainError.Code
        var testDescription: String { label }
    }

    static func modified(_ change: (inout Agreement) -> Void) -> Agreement {
        var agreement = Fixture.idSgRestricted
        change(&agreement)
        return agreement
    }

    static let invalidCases: [InvalidCase] = [
        InvalidCase(
            label: "until equal to from",
            agreement: modified { $0.until = $0.from },
            code: .invalidAgreementWindow
        ),
        InvalidCase(
            label: "until before from",
            agreement: modified { $0.until = $0.from - 1 },
            code: .invalidAgreementWindow
        ),
        InvalidCase(
            label: "one party",
            agreement: modified { $0.parties = [Fixture.code("ID")] },
            code: .invalidAgreement
        ),
        InvalidCase(
            label: "the same party twice",
            agreement: modified { $0.parties = [Fixture.code("ID"), Fixture.code("ID")] },
            code: .invalidAgreement
        ),
        InvalidCase(
            label: "no parties",
            agreement: modified { $0.parties = [] },
            code: .invalidAgreement
        ),
        InvalidCase(
            label: "an unknown party",
            agreement: modified { $0.parties = [Fixture.code("ID"), Fixture.code("FR")] },
            code: .unknownJurisdiction
        ),
        InvalidCase(
            label: "an unknown classification",
            agreement: modified { $0.classifications = ["restricted", "cosmic"] },
            code: .unknownClassification
        ),
        InvalidCase(
            label: "no classification",
            agreement: modified { $0.classifications = [] },
            code: .invalidAgreement
        ),
        InvalidCase(
            label: "no purpose",
            agreement: modified { $0.purposes = [] },
            code: .invalidAgreement
        ),
        InvalidCase(
            label: "a blank name",
            agreement: modified { $0.name = "   " },
            code: .invalidAgreement
        ),
        InvalidCase(
            label: "an identifier with upper-case letters",
            agreement: modified { $0.id = "ID-SG" },
            code: .invalidName
        ),
    ]

    @Test("validate refuses a malformed agreement with the right code", arguments: invalidCases)
    func validateRefuses(_ check: InvalidCase) {
        expectDomainError(check.code) { try check.agreement.validate(in: Fixture.alliance) }
    }

    @Test("an agreement may run without an end, or end one millisecond after it starts")
    func validWindows() throws {
        try Self.modified { $0.until = nil }.validate(in: Fixture.alliance)
        try Self.modified { $0.until = $0.from + 0.001 }.validate(in: Fixture.alliance)
    }

    // MARK: In force

    static let from = Fixture.date("2026-01-01T00:00:00Z")
    static let until = Fixture.date("2026-07-01T00:00:00Z")

    @Test(
        "isInForce holds from `from` inclusive to `until` exclusive",
        arguments: [
            (-86_400.0, false),
            (-0.001, false),
            (0.0, true),
            (0.001, true),
            (86_400.0, true),
        ]
    )
    func windowStart(offset: Double, expected: Bool) {
        let agreement = Self.modified {
            $0.from = Self.from
            $0.until = Self.until
        }
        #expect(agreement.isInForce(at: Self.from + offset) == expected)
    }

    @Test(
        "isInForce ends at the instant `until` names",
        arguments: [
            (-86_400.0, true),
            (-0.001, true),
            (0.0, false),
            (0.001, false),
            (86_400.0, false),
        ]
    )
    func windowEnd(offset: Double, expected: Bool) {
        let agreement = Self.modified {
            $0.from = Self.from
            $0.until = Self.until
        }
        #expect(agreement.isInForce(at: Self.until + offset) == expected)
    }

    @Test("without `until` an agreement stays in force indefinitely")
    func openEnded() {
        let agreement = Self.modified {
            $0.from = Self.from
            $0.until = nil
        }
        #expect(agreement.isInForce(at: Fixture.date("2999-01-01T00:00:00Z")))
        #expect(!agreement.isInForce(at: Self.from - 0.001))
    }

    @Test("only the in-force status is in force, whatever the window", arguments: AgreementStatus.allCases)
    func statusGovernsForce(status: AgreementStatus) {
        let agreement = Self.modified {
            $0.from = Self.from
            $0.until = Self.until
            $0.status = status
        }
        #expect(agreement.isInForce(at: Self.from + 86_400) == (status == .inForce))
    }

    @Test("covers needs both parties, the classification and the purpose")
    func covers() {
        let agreement = Fixture.idSgRestricted
        let id = Fixture.code("ID")
        let sg = Fixture.code("SG")
        #expect(agreement.covers(home: id, other: sg, classification: "restricted", purpose: .storage))
        #expect(agreement.covers(home: sg, other: id, classification: "restricted", purpose: .processing))
        #expect(!agreement.covers(home: id, other: Fixture.code("MY"), classification: "restricted", purpose: .storage))
        #expect(!agreement.covers(home: Fixture.code("MY"), other: sg, classification: "restricted", purpose: .storage))
        #expect(!agreement.covers(home: id, other: sg, classification: "secret", purpose: .storage))
        #expect(!agreement.covers(home: id, other: sg, classification: "restricted", purpose: .keyCustody))
        #expect(!agreement.covers(home: id, other: sg, classification: "restricted", purpose: .dataEmbassy))
    }

    @Test("an agreement round-trips through canonical JSON with its status and purposes spelled as stored")
    func codable() throws {
        var agreement = Fixture.eeLuDataEmbassy
        agreement.status = .inForce
        agreement.until = Fixture.date("2030-01-01T00:00:00Z")
        let text = try CanonicalJSON.encode(agreement)
        #expect(text.contains(#""status":"in_force""#))
        #expect(text.contains(#""purposes":["data-embassy"]"#))
        #expect(text.contains(#""until":"2030-01-01T00:00:00.000Z""#))
        #expect(try CanonicalJSON.decode(Agreement.self, from: text) == agreement)
    }
}
