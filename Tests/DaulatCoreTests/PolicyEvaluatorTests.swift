import DaulatCore
import Foundation
import Testing

@Suite("Policy evaluation")
struct PolicyEvaluatorTests {
    let evaluator = Fixture.evaluator
    let now = Fixture.now

    func evaluate(
        home: String,
        classification: String,
        policy: ResidencyPolicy = ResidencyPolicy(),
        evaluator: PolicyEvaluator? = nil,
        at time: Date? = nil
    ) throws -> EvaluatedPolicy {
        let dataset = Fixture.dataset(home: home, classification: classification, policy: policy)
        return try (evaluator ?? self.evaluator).evaluate(dataset, at: time ?? now)
    }

    // MARK: Classification scopes

    @Test("alliance scope admits every member jurisdiction")
    func allianceScope() throws {
        let evaluated = try evaluate(home: "ID", classification: "public")
        #expect(evaluated.allowed(.storage) == Fixture.codes("ID", "SG", "MY", "EE", "FI", "LU"))
        #expect(evaluated.storage.map(\.jurisdiction) == Fixture.alliance.jurisdictionCodes)
        #expect(evaluated.storageVerdict("ID")?.reason.rule == .home)
        for other in ["SG", "MY", "EE", "FI", "LU"] {
            #expect(evaluated.storageVerdict(other)?.reason.rule == .classificationAllowsAlliance)
            #expect(evaluated.storageVerdict(other)?.embassyOnly == false)
        }
        #expect(evaluated.allowed(.keys) == Fixture.codes("ID"))
        #expect(evaluated.verdict(.keys, "SG")?.reason.rule == .outsideClassificationScope)
    }

    @Test(
        "home-groups scope admits the members of every group the home is in, following nesting",
        arguments: [
            ("ID", ["ID", "SG", "MY"]),
            ("MY", ["ID", "SG", "MY"]),
            ("EE", ["EE", "FI", "LU"]),
            ("FI", ["EE", "FI", "LU"]),
            ("LU", ["EE", "FI", "LU"]),
        ]
    )
    func homeGroupsScope(home: String, expected: [String]) throws {
        let evaluated = try evaluate(home: home, classification: "internal")
        #expect(evaluated.allowed(.storage) == Set(expected.map(Fixture.code)))
        #expect(evaluated.allowed(.processing) == Set(expected.map(Fixture.code)))
        for verdict in evaluated.storage where verdict.jurisdiction.rawValue != home {
            if expected.contains(verdict.jurisdiction.rawValue) {
                #expect(verdict.reason.rule == .sharedGroup)
                let group = try #require(verdict.reason.group)
                let members = try Fixture.alliance.members(ofGroup: group)
                #expect(members.contains(verdict.jurisdiction) && members.contains(Fixture.code(home)))
            } else {
                #expect(verdict.reason.rule == .outsideClassificationScope)
                #expect(verdict.reason.group == nil)
            }
        }
    }

    @Test("a jurisdiction reached only through a nested group is named with the outer group")
    func nestedGroupReason() throws {
        let evaluated = try evaluate(home: "LU", classification: "internal")
        #expect(evaluated.storageVerdict("FI")?.reason.group == "eu")
        #expect(evaluated.storageVerdict("EE")?.reason.group == "eu")
        let estonian = try evaluate(home: "EE", classification: "internal")
        #expect(estonian.storageVerdict("LU")?.reason.group == "eu")
    }

    @Test("home-and-agreements scope admits exactly the partners of an agreement in force")
    func homeAndAgreementsScope() throws {
        let indonesian = try evaluate(home: "ID", classification: "restricted")
        #expect(indonesian.allowed(.storage) == Fixture.codes("ID", "SG"))
        #expect(indonesian.storageVerdict("SG")?.reason.rule == .agreementInForce)
        #expect(indonesian.storageVerdict("SG")?.reason.agreementID == "id-sg-restricted")
        #expect(indonesian.storageVerdict("MY")?.reason.rule == .noAgreement)
        #expect(indonesian.storageVerdict("EE")?.reason.rule == .noAgreement)

        let estonian = try evaluate(home: "EE", classification: "restricted")
        #expect(estonian.allowed(.storage) == Fixture.codes("EE", "FI"))
        #expect(estonian.storageVerdict("FI")?.reason.agreementID == "ee-fi-x-road")
        #expect(estonian.storageVerdict("LU")?.reason.rule == .noAgreement)

        let singaporean = try evaluate(home: "SG", classification: "restricted")
        #expect(singaporean.allowed(.storage) == Fixture.codes("SG", "ID"))
        #expect(singaporean.storageVerdict("MY")?.reason.rule == .agreementNotInForce)
        #expect(singaporean.storageVerdict("MY")?.reason.agreementID == "my-sg-restricted")
    }

    @Test("home scope admits only the home jurisdiction")
    func homeScope() throws {
        let evaluated = try evaluate(home: "FI", classification: "secret")
        #expect(evaluated.allowed(.storage) == Fixture.codes("FI"))
        #expect(evaluated.allowed(.keys) == Fixture.codes("FI"))
        #expect(evaluated.allowed(.processing) == Fixture.codes("FI"))
        #expect(evaluated.storageVerdict("EE")?.reason.rule == .outsideClassificationScope)
        #expect(evaluated.storageVerdict("FI")?.reason.rule == .home)
    }

    @Test("an agreement admits a jurisdiction only for the use its purposes name")
    func agreementPurposeMatchesUse() throws {
        let level = Classification(
            name: "shared",
            rank: 1,
            storage: .homeAndAgreements,
            keys: .homeAndAgreements,
            processing: .homeAndAgreements,
            dataEmbassyPermitted: false,
            defaultReplicas: 2,
            defaultMinDistinctSites: 1,
            homeReplicaRequired: false
        )
        var alliance = Fixture.alliance
        alliance.classifications.append(level)
        let storageOnly = Agreement(
            id: "id-my-storage",
            name: "storage only",
            parties: [Fixture.code("ID"), Fixture.code("MY")],
            classifications: ["shared"],
            purposes: [.storage],
            from: Fixture.date("2020-01-01T00:00:00Z"),
            until: nil,
            status: .inForce
        )
        let keysOnly = Agreement(
            id: "id-sg-keys",
            name: "key custody",
            parties: [Fixture.code("ID"), Fixture.code("SG")],
            classifications: ["shared"],
            purposes: [.keyCustody],
            from: Fixture.date("2020-01-01T00:00:00Z"),
            until: nil,
            status: .inForce
        )
        let evaluator = PolicyEvaluator(alliance: alliance, agreements: [storageOnly, keysOnly])
        let evaluated = try evaluate(home: "ID", classification: "shared", evaluator: evaluator)
        #expect(evaluated.allowed(.storage) == Fixture.codes("ID", "MY"))
        #expect(evaluated.allowed(.keys) == Fixture.codes("ID", "SG"))
        #expect(evaluated.allowed(.processing) == Fixture.codes("ID"))
        #expect(evaluated.verdict(.processing, "MY")?.reason.rule == .noAgreement)
    }

    @Test("an agreement for another classification admits nothing")
    func agreementForOtherClassification() throws {
        let level = Classification(
            name: "confidential",
            rank: 2,
            storage: .homeAndAgreements,
            keys: .home,
            processing: .home,
            dataEmbassyPermitted: false,
            defaultReplicas: 2,
            defaultMinDistinctSites: 1,
            homeReplicaRequired: true
        )
        var alliance = Fixture.alliance
        alliance.classifications.append(level)
        let evaluator = PolicyEvaluator(alliance: alliance, agreements: Fixture.agreements)
        let evaluated = try evaluate(home: "ID", classification: "confidential", evaluator: evaluator)
        #expect(evaluated.allowed(.storage) == Fixture.codes("ID"))
        #expect(evaluated.storageVerdict("SG")?.reason.rule == .noAgreement)
    }

    // MARK: Agreements in and out of force

    static let windowFrom = Fixture.date("2026-01-01T00:00:00Z")
    static let windowUntil = Fixture.date("2026-07-01T00:00:00Z")

    struct WindowCase: Sendable, CustomTestStringConvertible {
        var label: String
        var status: AgreementStatus
        var time: Date
        var admitted: Bool
        var testDescription: String { label }
    }

    static let windowCases: [WindowCase] = [
        WindowCase(label: "in force, inside window", status: .inForce, time: windowFrom + 86_400, admitted: true),
        WindowCase(label: "in force, at from", status: .inForce, time: windowFrom, admitted: true),
        WindowCase(label: "in force, 1 ms before from", status: .inForce, time: windowFrom - 0.001, admitted: false),
        WindowCase(label: "in force, 1 ms before until", status: .inForce, time: windowUntil - 0.001, admitted: true),
        WindowCase(label: "in force, at until", status: .inForce, time: windowUntil, admitted: false),
        WindowCase(label: "in force, after until", status: .inForce, time: windowUntil + 86_400, admitted: false),
        WindowCase(label: "draft, inside window", status: .draft, time: windowFrom + 86_400, admitted: false),
        WindowCase(label: "suspended, inside window", status: .suspended, time: windowFrom + 86_400, admitted: false),
        WindowCase(label: "terminated, inside window", status: .terminated, time: windowFrom + 86_400, admitted: false),
    ]

    @Test("an agreement admits its partner only while in force", arguments: windowCases)
    func agreementWindow(_ check: WindowCase) throws {
        var agreement = Fixture.idSgRestricted
        agreement.from = Self.windowFrom
        agreement.until = Self.windowUntil
        agreement.status = check.status
        let evaluator = PolicyEvaluator(alliance: Fixture.alliance, agreements: [agreement])
        let evaluated = try evaluate(home: "ID", classification: "restricted", evaluator: evaluator, at: check.time)
        let verdict = try #require(evaluated.storageVerdict("SG"))
        #expect(verdict.allowed == check.admitted)
        #expect(verdict.reason.rule == (check.admitted ? .agreementInForce : .agreementNotInForce))
        #expect(verdict.reason.agreementID == "id-sg-restricted")
        #expect(evaluated.allowed(.storage).contains(Fixture.code("ID")))
        #expect(evaluated.verdict(.processing, "SG")?.allowed == false)
    }

    @Test("without any covering agreement the reason is noAgreement")
    func noAgreementAtAll() throws {
        let evaluator = PolicyEvaluator(alliance: Fixture.alliance, agreements: [])
        let evaluated = try evaluate(home: "ID", classification: "restricted", evaluator: evaluator)
        #expect(evaluated.allowed(.storage) == Fixture.codes("ID"))
        #expect(evaluated.storageVerdict("SG")?.reason.rule == .noAgreement)
        #expect(evaluated.storageVerdict("SG")?.reason.agreementID == nil)
    }

    @Test("an agreement in force wins over a lapsed one covering the same partner")
    func inForceWinsOverLapsed() throws {
        var lapsed = Fixture.idSgRestricted
        lapsed.id = "a-lapsed"
        lapsed.status = .terminated
        var current = Fixture.idSgRestricted
        current.id = "z-current"
        let evaluator = PolicyEvaluator(alliance: Fixture.alliance, agreements: [lapsed, current])
        let evaluated = try evaluate(home: "ID", classification: "restricted", evaluator: evaluator)
        #expect(evaluated.storageVerdict("SG")?.allowed == true)
        #expect(evaluated.storageVerdict("SG")?.reason.agreementID == "z-current")
    }

    // MARK: The dataset's own sets

    @Test("a dataset's own storage set narrows what the classification allows")
    func datasetPolicyNarrows() throws {
        let restricted = try evaluate(
            home: "ID",
            classification: "restricted",
            policy: ResidencyPolicy(storage: Fixture.codes("ID"))
        )
        #expect(restricted.allowed(.storage) == Fixture.codes("ID"))
        #expect(restricted.storageVerdict("SG")?.reason.rule == .excludedByDatasetPolicy)
        #expect(restricted.storageVerdict("MY")?.reason.rule == .noAgreement)

        let internalLevel = try evaluate(
            home: "ID",
            classification: "internal",
            policy: ResidencyPolicy(storage: Fixture.codes("ID", "SG"), processing: Fixture.codes("MY"))
        )
        #expect(internalLevel.allowed(.storage) == Fixture.codes("ID", "SG"))
        #expect(internalLevel.storageVerdict("MY")?.reason.rule == .excludedByDatasetPolicy)
        #expect(internalLevel.storageVerdict("EE")?.reason.rule == .outsideClassificationScope)
        #expect(internalLevel.allowed(.processing) == Fixture.codes("MY"))
        #expect(internalLevel.verdict(.processing, "ID")?.reason.rule == .excludedByDatasetPolicy)
    }

    @Test("a storage set cannot widen: naming a jurisdiction outside the scope admits nothing more")
    func datasetPolicyCannotWiden() throws {
        let evaluated = try evaluate(
            home: "ID",
            classification: "restricted",
            policy: ResidencyPolicy(storage: Fixture.codes("ID", "MY"))
        )
        #expect(evaluated.allowed(.storage) == Fixture.codes("ID"))
        #expect(evaluated.storageVerdict("MY")?.reason.rule == .noAgreement)
    }

    @Test("the effective replica rules come from the policy, else from the classification")
    func effectiveNumbers() throws {
        let defaults = try evaluate(home: "ID", classification: "restricted")
        #expect(defaults.replicas == 3)
        #expect(defaults.minDistinctSites == 2)
        #expect(defaults.homeReplicaRequired)
        #expect(!defaults.dataEmbassyAllowed)

        let single = try evaluate(home: "ID", classification: "public", policy: ResidencyPolicy(replicas: 1))
        #expect(single.replicas == 1)
        #expect(single.minDistinctSites == 1)
        #expect(!single.homeReplicaRequired)

        let custom = try evaluate(
            home: "ID",
            classification: "public",
            policy: ResidencyPolicy(replicas: 5, minDistinctSites: 4, homeReplicaRequired: true)
        )
        #expect(custom.replicas == 5)
        #expect(custom.minDistinctSites == 4)
        #expect(custom.homeReplicaRequired)
    }

    // MARK: Data embassies

    @Test("a data embassy is admitted, embassy-only, under an in-force agreement when policy and level allow it")
    func dataEmbassyAdmitted() throws {
        let evaluated = try evaluate(
            home: "EE",
            classification: "secret",
            policy: ResidencyPolicy(dataEmbassyAllowed: true)
        )
        #expect(evaluated.dataEmbassyAllowed)
        #expect(evaluated.allowed(.storage) == Fixture.codes("EE", "LU"))
        let verdict = try #require(evaluated.storageVerdict("LU"))
        #expect(verdict.embassyOnly)
        #expect(verdict.reason.rule == .dataEmbassyAgreement)
        #expect(verdict.reason.agreementID == "ee-lu-data-embassy")
        #expect(evaluated.storageVerdict("EE")?.embassyOnly == false)
        #expect(evaluated.permitsStorage(at: Fixture.site("lu-ee-embassy-1")))
        #expect(!evaluated.permitsStorage(at: Fixture.site("lu-bet-1")))
        #expect(evaluated.permitsStorage(at: Fixture.site("ee-tll-1")))
        #expect(!evaluated.permitsStorage(at: Fixture.site("fi-hel-1")))
        #expect(evaluated.allowed(.keys) == Fixture.codes("EE"))
        #expect(evaluated.allowed(.processing) == Fixture.codes("EE"))
    }

    @Test("without the policy's opt-in the embassy is not admitted")
    func dataEmbassyNeedsOptIn() throws {
        for policy in [ResidencyPolicy(), ResidencyPolicy(dataEmbassyAllowed: false)] {
            let evaluated = try evaluate(home: "EE", classification: "secret", policy: policy)
            #expect(!evaluated.dataEmbassyAllowed)
            #expect(evaluated.allowed(.storage) == Fixture.codes("EE"))
            #expect(evaluated.storageVerdict("LU")?.reason.rule == .outsideClassificationScope)
            #expect(!evaluated.permitsStorage(at: Fixture.site("lu-ee-embassy-1")))
        }
    }

    @Test("a classification that does not permit embassies overrides the policy's opt-in")
    func dataEmbassyNeedsClassification() throws {
        var level = Fixture.secretLevel
        level.dataEmbassyPermitted = false
        let alliance = Alliance(
            jurisdictions: Fixture.jurisdictions,
            groups: Fixture.groups,
            classifications: [level]
        )
        let evaluator = PolicyEvaluator(alliance: alliance, agreements: Fixture.agreements)
        let evaluated = try evaluate(
            home: "EE",
            classification: "secret",
            policy: ResidencyPolicy(dataEmbassyAllowed: true),
            evaluator: evaluator
        )
        #expect(!evaluated.dataEmbassyAllowed)
        #expect(evaluated.allowed(.storage) == Fixture.codes("EE"))
        #expect(!evaluated.permitsStorage(at: Fixture.site("lu-ee-embassy-1")))
    }

    @Test(
        "the embassy needs a data-embassy agreement in force",
        arguments: [AgreementStatus.draft, .suspended, .terminated]
    )
    func dataEmbassyNeedsAgreementInForce(status: AgreementStatus) throws {
        var agreement = Fixture.eeLuDataEmbassy
        agreement.status = status
        let evaluator = PolicyEvaluator(alliance: Fixture.alliance, agreements: [agreement])
        let evaluated = try evaluate(
            home: "EE",
            classification: "secret",
            policy: ResidencyPolicy(dataEmbassyAllowed: true),
            evaluator: evaluator
        )
        #expect(evaluated.allowed(.storage) == Fixture.codes("EE"))
        #expect(evaluated.storageVerdict("LU")?.allowed == false)
        #expect(!evaluated.permitsStorage(at: Fixture.site("lu-ee-embassy-1")))
    }

    @Test("an agreement without the data-embassy purpose, or outside its window, admits no embassy")
    func dataEmbassyNeedsPurposeAndWindow() throws {
        var storageOnly = Fixture.eeLuDataEmbassy
        storageOnly.purposes = [.storage]
        var expired = Fixture.eeLuDataEmbassy
        expired.until = Fixture.date("2025-01-01T00:00:00Z")
        for agreement in [storageOnly, expired] {
            let evaluator = PolicyEvaluator(alliance: Fixture.alliance, agreements: [agreement])
            let evaluated = try evaluate(
                home: "EE",
                classification: "secret",
                policy: ResidencyPolicy(dataEmbassyAllowed: true),
                evaluator: evaluator
            )
            #expect(evaluated.allowed(.storage) == Fixture.codes("EE"))
        }
    }

    @Test("an embassy site serves only its own state's datasets")
    func embassySiteServesOnlyItsState() throws {
        let finnish = try evaluate(
            home: "FI", classification: "secret", policy: ResidencyPolicy(dataEmbassyAllowed: true))
        #expect(finnish.allowed(.storage) == Fixture.codes("FI"))
        #expect(!finnish.permitsStorage(at: Fixture.site("lu-ee-embassy-1")))

        let luxembourgish = try evaluate(home: "LU", classification: "public")
        #expect(luxembourgish.permitsStorage(at: Fixture.site("lu-bet-1")))
        #expect(!luxembourgish.permitsStorage(at: Fixture.site("lu-ee-embassy-1")))

        let estonianPublic = try evaluate(home: "EE", classification: "public")
        #expect(estonianPublic.storageVerdict("LU")?.embassyOnly == false)
        #expect(estonianPublic.permitsStorage(at: Fixture.site("lu-ee-embassy-1")))
        #expect(estonianPublic.permitsStorage(at: Fixture.site("lu-bet-1")))
    }

    @Test("an embassy agreement never readmits the home jurisdiction that the dataset's own set leaves out")
    func embassyDoesNotReadmitHome() throws {
        let level = Classification(
            name: "federated",
            rank: 2,
            storage: .homeAndAgreements,
            keys: .home,
            processing: .home,
            dataEmbassyPermitted: true,
            defaultReplicas: 2,
            defaultMinDistinctSites: 1,
            homeReplicaRequired: false
        )
        var alliance = Fixture.alliance
        alliance.classifications.append(level)
        var embassy = Fixture.eeLuDataEmbassy
        embassy.classifications = ["federated"]
        var xRoad = Fixture.eeFiXRoad
        xRoad.classifications = ["federated"]
        let evaluator = PolicyEvaluator(alliance: alliance, agreements: [embassy, xRoad])
        let policy = ResidencyPolicy(storage: Fixture.codes("FI"), dataEmbassyAllowed: true)
        try evaluator.validate(policy: policy, home: Fixture.code("EE"), classification: "federated")
        let evaluated = try evaluate(home: "EE", classification: "federated", policy: policy, evaluator: evaluator)
        let home = try #require(evaluated.storageVerdict("EE"))
        #expect(!home.allowed)
        #expect(home.reason.rule == .excludedByDatasetPolicy)
        #expect(evaluated.storageVerdict("LU")?.embassyOnly == true)
        #expect(evaluated.allowed(.storage) == Fixture.codes("FI", "LU"))
    }

    // MARK: Next change

    @Test("nextChange returns the next start or end of an agreement in force")
    func nextChange() {
        var first = Fixture.idSgRestricted
        first.from = Fixture.date("2026-01-01T00:00:00Z")
        first.until = Fixture.date("2026-06-01T00:00:00Z")
        var second = Fixture.eeFiXRoad
        second.from = Fixture.date("2026-03-01T00:00:00Z")
        second.until = nil
        var draft = Fixture.mySgRestricted
        draft.from = Fixture.date("2026-02-01T00:00:00Z")
        var suspended = Fixture.eeLuDataEmbassy
        suspended.from = Fixture.date("2026-02-15T00:00:00Z")
        suspended.status = .suspended
        let evaluator = PolicyEvaluator(alliance: Fixture.alliance, agreements: [first, second, draft, suspended])

        #expect(evaluator.nextChange(after: Fixture.date("2025-12-01T00:00:00Z")) == first.from)
        #expect(evaluator.nextChange(after: first.from) == second.from)
        #expect(evaluator.nextChange(after: Fixture.date("2026-01-15T00:00:00Z")) == second.from)
        #expect(evaluator.nextChange(after: second.from) == first.until)
        #expect(evaluator.nextChange(after: Fixture.date("2026-05-31T23:59:59Z")) == first.until)
        #expect(evaluator.nextChange(after: Fixture.date("2026-06-01T00:00:00Z")) == nil)
        #expect(PolicyEvaluator(alliance: Fixture.alliance, agreements: []).nextChange(after: Fixture.now) == nil)
    }

    @Test("evaluating just before and at nextChange brackets the change in verdict")
    func nextChangeBracketsVerdict() throws {
        var agreement = Fixture.idSgRestricted
        agreement.from = Fixture.date("2026-03-01T00:00:00Z")
        agreement.until = Fixture.date("2026-04-01T00:00:00Z")
        let evaluator = PolicyEvaluator(alliance: Fixture.alliance, agreements: [agreement])
        var time = Fixture.date("2026-01-01T00:00:00Z")
        var admitted: [Bool] = []
        while true {
            let evaluated = try evaluate(home: "ID", classification: "restricted", evaluator: evaluator, at: time)
            admitted.append(evaluated.storageVerdict("SG")?.allowed == true)
            guard let next = evaluator.nextChange(after: time) else { break }
            time = next
        }
        #expect(admitted == [false, true, false])
        #expect(time == agreement.until)
    }

    // MARK: Validation

    struct InvalidCase: Sendable, CustomTestStringConvertible {
        var label: String
        var home: String
        var classification: String
        var policy: ResidencyPolicy
        var code: DomainError.Code
        var testDescription: String { label }
    }

    static let invalidCases: [InvalidCase] = [
        InvalidCase(
            label: "unknown jurisdiction in the storage set",
            home: "ID",
            classification: "public",
            policy: ResidencyPolicy(storage: Fixture.codes("ID", "XX")),
            code: .unknownJurisdiction
        ),
        InvalidCase(
            label: "unknown jurisdiction in the keys set",
            home: "ID",
            classification: "public",
            policy: ResidencyPolicy(keys: Fixture.codes("FR")),
            code: .unknownJurisdiction
        ),
        InvalidCase(
            label: "unknown home",
            home: "XX",
            classification: "public",
            policy: ResidencyPolicy(),
            code: .unknownJurisdiction
        ),
        InvalidCase(
            label: "unknown classification",
            home: "ID",
            classification: "top-secret",
            policy: ResidencyPolicy(),
            code: .unknownClassification
        ),
        InvalidCase(
            label: "storage outside the home groups",
            home: "ID",
            classification: "internal",
            policy: ResidencyPolicy(storage: Fixture.codes("ID", "EE")),
            code: .policyContradictsClassification
        ),
        InvalidCase(
            label: "storage abroad for a home-only level",
            home: "EE",
            classification: "secret",
            policy: ResidencyPolicy(storage: Fixture.codes("EE", "LU")),
            code: .policyContradictsClassification
        ),
        InvalidCase(
            label: "keys abroad for a home-only key rule",
            home: "ID",
            classification: "restricted",
            policy: ResidencyPolicy(keys: Fixture.codes("ID", "SG")),
            code: .policyContradictsClassification
        ),
        InvalidCase(
            label: "processing outside the home groups",
            home: "FI",
            classification: "internal",
            policy: ResidencyPolicy(processing: Fixture.codes("SG")),
            code: .policyContradictsClassification
        ),
        InvalidCase(
            label: "turning off a required home replica",
            home: "ID",
            classification: "restricted",
            policy: ResidencyPolicy(homeReplicaRequired: false),
            code: .policyContradictsClassification
        ),
        InvalidCase(
            label: "storage set without the home while the level requires a home replica",
            home: "ID",
            classification: "restricted",
            policy: ResidencyPolicy(storage: Fixture.codes("SG")),
            code: .inconsistentPolicy
        ),
        InvalidCase(
            label: "storage set without the home while the policy requires a home replica",
            home: "ID",
            classification: "public",
            policy: ResidencyPolicy(storage: Fixture.codes("SG", "MY"), homeReplicaRequired: true),
            code: .inconsistentPolicy
        ),
        InvalidCase(
            label: "data embassy on a level that does not permit it",
            home: "EE",
            classification: "internal",
            policy: ResidencyPolicy(dataEmbassyAllowed: true),
            code: .policyContradictsClassification
        ),
        InvalidCase(
            label: "zero replicas",
            home: "ID",
            classification: "public",
            policy: ResidencyPolicy(replicas: 0),
            code: .replicasOutOfRange
        ),
        InvalidCase(
            label: "seventeen replicas",
            home: "ID",
            classification: "public",
            policy: ResidencyPolicy(replicas: 17),
            code: .replicasOutOfRange
        ),
        InvalidCase(
            label: "negative replicas",
            home: "ID",
            classification: "public",
            policy: ResidencyPolicy(replicas: -1),
            code: .replicasOutOfRange
        ),
        InvalidCase(
            label: "more distinct sites than replicas",
            home: "ID",
            classification: "public",
            policy: ResidencyPolicy(replicas: 3, minDistinctSites: 4),
            code: .inconsistentPolicy
        ),
        InvalidCase(
            label: "more distinct sites than the level's default replicas",
            home: "ID",
            classification: "restricted",
            policy: ResidencyPolicy(minDistinctSites: 4),
            code: .inconsistentPolicy
        ),
        InvalidCase(
            label: "zero distinct sites",
            home: "ID",
            classification: "public",
            policy: ResidencyPolicy(minDistinctSites: 0),
            code: .inconsistentPolicy
        ),
        InvalidCase(
            label: "empty storage set",
            home: "ID",
            classification: "public",
            policy: ResidencyPolicy(storage: []),
            code: .inconsistentPolicy
        ),
        InvalidCase(
            label: "empty processing set",
            home: "ID",
            classification: "public",
            policy: ResidencyPolicy(processing: []),
            code: .inconsistentPolicy
        ),
    ]

    @Test("validate refuses a bad policy with the right code", arguments: invalidCases)
    func validateRefuses(_ check: InvalidCase) {
        expectDomainError(check.code) {
            try evaluator.validate(
                policy: check.policy,
                home: try JurisdictionCode(check.home),
                classification: check.classification
            )
        }
    }

    struct ValidCase: Sendable, CustomTestStringConvertible {
        var label: String
        var home: String
        var classification: String
        var policy: ResidencyPolicy
        var testDescription: String { label }
    }

    static let validCases: [ValidCase] = [
        ValidCase(label: "defaults", home: "ID", classification: "restricted", policy: ResidencyPolicy()),
        ValidCase(
            label: "storage with an agreement partner",
            home: "ID",
            classification: "restricted",
            policy: ResidencyPolicy(storage: Fixture.codes("ID", "SG"), replicas: 3)
        ),
        ValidCase(
            label: "storage with a jurisdiction whose agreement is not yet in force",
            home: "MY",
            classification: "restricted",
            policy: ResidencyPolicy(storage: Fixture.codes("MY", "SG"))
        ),
        ValidCase(
            label: "storage through a nested group",
            home: "EE",
            classification: "internal",
            policy: ResidencyPolicy(storage: Fixture.codes("EE", "LU"), processing: Fixture.codes("FI"))
        ),
        ValidCase(
            label: "embassy on a level that permits it",
            home: "EE",
            classification: "secret",
            policy: ResidencyPolicy(homeReplicaRequired: true, dataEmbassyAllowed: true)
        ),
        ValidCase(
            label: "no home replica when not required",
            home: "ID",
            classification: "public",
            policy: ResidencyPolicy(storage: Fixture.codes("SG", "EE"), homeReplicaRequired: false)
        ),
        ValidCase(
            label: "one replica with the level's default of two sites",
            home: "ID",
            classification: "public",
            policy: ResidencyPolicy(replicas: 1)
        ),
        ValidCase(
            label: "the maximum of sixteen replicas",
            home: "ID",
            classification: "public",
            policy: ResidencyPolicy(replicas: 16, minDistinctSites: 16)
        ),
    ]

    @Test("validate accepts a policy that only narrows the classification", arguments: validCases)
    func validateAccepts(_ check: ValidCase) throws {
        try evaluator.validate(
            policy: check.policy, home: try JurisdictionCode(check.home), classification: check.classification)
    }
}
