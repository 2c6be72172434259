import Crypto
import DaulatAgent
import DaulatCore
import DaulatCrypto
import DaulatCustodian
import DaulatFiles
import DaulatPKI
import DaulatTestSupport
import Foundation
import Testing

@Suite("A custodian releases a share only against a signed, fresh, unused decision that covers it")
struct ShareReleaseTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
        "daulat-custodian-\(UUID().uuidString)")
    let authority: CertificateAuthority
    let now = CanonicalJSON.rounded(Date())
    /// The custodian's keystore key: the same for every process of it.
    let sealingKey = AtRestKey.generate().key
    let states: TestStates
    /// Indonesia's statistics office, which owns `ds-census`.
    let owner: TestMember

    init() throws {
        authority = try CertificateAuthority.create(trustDomain: "alliance.test")
        states = try TestStates(["ID", "SG"])
        owner = try states.member("bps", of: "ID")
    }

    func cleanUp() { try? FileManager.default.removeItem(at: directory) }

    /// A custodian in Indonesia with one dataset key, a data key share wrapped to it, and a requester.
    struct Setup {
        let release: ShareRelease
        let policy: PublishedPolicy
        let wrapped: WrappedKey
        let context: WrapContext
        let secret: [UInt8]
        let requester: P256.KeyAgreement.PrivateKey
    }

    /// Indonesia and Singapore; `restricted` data is processed at home only, `shared` data at home or
    /// where an agreement in force covers processing.
    static func alliance() throws -> Alliance {
        func classification(_ name: String, rank: Int, processing: JurisdictionScope) -> Classification {
            Classification(
                name: name, rank: rank, storage: .home, keys: .home, processing: processing,
                dataEmbassyPermitted: false, defaultReplicas: 1, defaultMinDistinctSites: 1, homeReplicaRequired: true)
        }
        return Alliance(
            jurisdictions: [
                Jurisdiction(code: try JurisdictionCode("ID"), name: "Indonesia"),
                Jurisdiction(code: try JurisdictionCode("SG"), name: "Singapore"),
            ], groups: [],
            classifications: [
                classification("restricted", rank: 2, processing: .home),
                classification("shared", rank: 1, processing: .homeAndAgreements),
            ])
    }

    /// The rules with `agreements` and Indonesia's record of its ground listing `custodians`, signed by
    /// `signer`'s authority (Indonesia's own, unless a test forges it).
    func bundle(
        _ agreements: [Agreement], custodians: [String] = ["cust-id"], signer: String = "ID",
        rules: SignedAllianceRules? = nil
    ) throws -> PolicyBundle {
        let record = JurisdictionRecord(
            jurisdiction: try JurisdictionCode("ID"), version: 1, sites: [], hosts: [:], custodians: custodians,
            embassiesHosted: [:], embassiesAbroad: [], issuedAt: now)
        return PolicyBundle(
            alliance: try Self.alliance(), agreements: agreements,
            records: [try JurisdictionRecordSignatures.sign(record, with: try states.authority(signer))],
            rules: try rules ?? signedRules(try Self.alliance()))
    }

    /// The classifications and groups of `alliance` as version `version`, signed by the states in
    /// `signers` (every state of the charter unless a test leaves some out).
    func signedRules(_ alliance: Alliance, version: Int = 1, signers: [JurisdictionCode]? = nil) throws
        -> SignedAllianceRules
    {
        let rules = AllianceRules.draft(of: alliance, version: version)
        var signed = SignedAllianceRules(rules: rules)
        for (state, key) in states.authorities where signers?.contains(state) ?? true {
            signed.signatures[state.rawValue] = try AllianceRulesSignatures.sign(rules, with: key)
        }
        return signed
    }

    /// A custodian that has had `bundle` from the control plane (none: it has had nothing yet), keeping
    /// the rules it accepted in `policyFile` (in memory only, unless told).
    func setUp(ledgerDirectory: URL? = nil, bundle: PolicyBundle?? = .some(nil), policyFile: URL? = nil)
        async throws -> Setup
    {
        let keystore = try SoftwareKeystore(
            directory: directory, sealingKey: sealingKey, custodianID: "cust-id")
        let key = try await keystore.currentKey(scope: "ds-census")
        let secret = (0..<32).map { _ in UInt8.random(in: 0...255) }
        let context = try WrapContext(objectID: "obj-1", keyID: "dek-1", shareIndex: 1, threshold: 2)
        let wrapped = try KeyWrapping.wrap(secret, to: key.publicKey, recipientKeyID: key.id, context: context)
        let policy = PublishedPolicy(
            rules: try PinnedPolicy(charter: try states.charter.verified(), file: policyFile))
        switch bundle {
        case .some(.some(let given)): try policy.update(given)
        case .some(.none): try policy.update(try self.bundle([]))
        case .none: break
        }
        let release = ShareRelease(
            keystore: keystore,
            ledger: try SingleUseLedger(directory: (ledgerDirectory ?? directory).appendingPathComponent("decisions")),
            authority: authority.certificate, policy: policy, jurisdiction: try JurisdictionCode("ID"),
            custodianID: "cust-id")
        return Setup(
            release: release, policy: policy, wrapped: wrapped, context: context, secret: secret,
            requester: P256.KeyAgreement.PrivateKey())
    }

    func decision(
        _ setup: Setup, id: String = "dec-1", dataset: String = "ds-census", objectID: String = "obj-1",
        keyID: String = "dek-1", jurisdictions: [String] = ["ID"], issuedAt: Date? = nil, lifetime: TimeInterval = 300,
        processingIn: String = "ID", classification: String = "restricted",
        consent: ((UnwrapRequest, String) throws -> (consent: String, certificate: String?))? = nil
    ) throws -> UnwrapDecision {
        let issued = issuedAt ?? now
        let request = UnwrapRequest(
            datasetID: dataset, objectID: objectID, jurisdiction: try JurisdictionCode(processingIn),
            justification: .ownerAccess)
        let requesterKey = setup.requester.publicKey.x963Representation.base64EncodedString()
        let signed =
            try consent?(request, requesterKey)
            ?? (
                try UnwrapConsent.forTest(request, requesterKey: requesterKey, member: owner.id).signed(
                    with: owner.key),
                owner.certificate
            )
        return UnwrapDecision(
            id: id, request: request, requester: "token:bps-analyst", keyID: keyID,
            keyJurisdictions: try jurisdictions.map(JurisdictionCode.init), requesterKey: requesterKey,
            issuedAt: issued, expiresAt: issued.addingTimeInterval(lifetime), consent: signed.consent,
            memberCertificate: signed.certificate, ownerAgency: "bps", home: try JurisdictionCode("ID"),
            classification: classification)
    }

    func sign(_ decision: UnwrapDecision, with signer: CertificateAuthority? = nil) throws -> String {
        try SignedDocument.sign(decision, purpose: UnwrapDecision.signaturePurpose, with: signer ?? authority)
    }

    @Test("the share comes back wrapped to the requester's one-time key, and opens only with it")
    func released() async throws {
        defer { cleanUp() }
        let setup = try await setUp()
        let (decision, share, _) = try await setup.release.release(
            setup.wrapped, context: setup.context, decision: try sign(try decision(setup)), now: now)
        #expect(decision.id == "dec-1" && decision.requester == "token:bps-analyst")
        #expect(share.recipientKeyID == "requester/dec-1")
        #expect(try KeyWrapping.unwrap(share, with: setup.requester, context: setup.context) == setup.secret)
        #expect(throws: KeyWrappingError.self) {
            try KeyWrapping.unwrap(share, with: P256.KeyAgreement.PrivateKey(), context: setup.context)
        }
    }

    @Test("a decision used once is refused the second time, even by a custodian restarted in between")
    func replay() async throws {
        defer { cleanUp() }
        let setup = try await setUp()
        let signed = try sign(try decision(setup))
        _ = try await setup.release.release(setup.wrapped, context: setup.context, decision: signed, now: now)
        await #expect(throws: CustodianError.decisionReplayed("dec-1")) {
            try await setup.release.release(setup.wrapped, context: setup.context, decision: signed, now: now)
        }
        let restarted = try await setUp()
        await #expect(throws: CustodianError.decisionReplayed("dec-1")) {
            try await restarted.release.release(setup.wrapped, context: setup.context, decision: signed, now: now)
        }
    }

    @Test(
        "expired, early, forged, tampered, another object's or key's, and another jurisdiction's decisions are refused")
    func refusals() async throws {
        defer { cleanUp() }
        let setup = try await setUp()
        let release = { (signed: String) async throws in
            _ = try await setup.release.release(setup.wrapped, context: setup.context, decision: signed, now: now)
        }
        await #expect(throws: CustodianError.decisionExpired(id: "late")) {
            try await release(
                try sign(try decision(setup, id: "late", issuedAt: now.addingTimeInterval(-600), lifetime: 300)))
        }
        await #expect(throws: CustodianError.decisionExpired(id: "early")) {
            try await release(try sign(try decision(setup, id: "early", issuedAt: now.addingTimeInterval(600))))
        }
        let forger = try CertificateAuthority.create(trustDomain: "alliance.test")
        await #expect(throws: CustodianError.self) { try await release(try sign(try decision(setup), with: forger)) }
        var tampered = Array(try sign(try decision(setup, id: "tampered")).utf8)
        tampered[10] = tampered[10] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        await #expect(throws: CustodianError.self) { try await release(String(decoding: tampered, as: UTF8.self)) }
        await #expect(throws: CustodianError.self) {
            try await release(try sign(try decision(setup, id: "other-object", objectID: "obj-2")))
        }
        await #expect(throws: CustodianError.self) {
            try await release(try sign(try decision(setup, id: "other-key", keyID: "dek-2")))
        }
        await #expect(throws: CustodianError.self) {
            try await release(try sign(try decision(setup, id: "other-dataset", dataset: "ds-other")))
        }
        await #expect(throws: CustodianError.notThisJurisdiction(try JurisdictionCode("ID"))) {
            try await release(try sign(try decision(setup, id: "elsewhere", jurisdictions: ["SG", "MY"])))
        }
        // A decision signed for another purpose (an assignment set, a ticket) is not a decision.
        let misused = try SignedDocument.sign(
            try decision(setup, id: "misused"), purpose: "assignments", with: authority)
        await #expect(throws: CustodianError.self) { try await release(misused) }
        // None of the refused ones was spent: a good decision still goes through.
        _ = try await setup.release.release(
            setup.wrapped, context: setup.context, decision: try sign(try decision(setup, id: "good")), now: now)
    }

    @Test("a share that does not open spends no decision; a bad requester key or an overlong decision is refused")
    func nothingSpentOnFailure() async throws {
        defer { cleanUp() }
        let setup = try await setUp()
        let signed = try sign(try decision(setup))
        let garbage = WrappedKey(
            recipientKeyID: setup.wrapped.recipientKeyID, encapsulatedKey: setup.wrapped.encapsulatedKey,
            ciphertext: Data(repeating: 7, count: 48))
        await #expect(throws: KeyWrappingError.self) {
            try await setup.release.release(garbage, context: setup.context, decision: signed, now: now)
        }
        _ = try await setup.release.release(setup.wrapped, context: setup.context, decision: signed, now: now)

        var badKey = try decision(setup, id: "bad-key")
        badKey.requesterKey = "bm90IGEga2V5"
        await #expect(throws: CustodianError.self) {
            try await setup.release.release(setup.wrapped, context: setup.context, decision: try sign(badKey), now: now)
        }
        await #expect(throws: CustodianError.self) {
            try await setup.release.release(
                setup.wrapped, context: setup.context,
                decision: try sign(try decision(setup, id: "a-day-long", lifetime: 86_400)), now: now)
        }
    }

    @Test("at the edges of its time: good 60 s before its issue time and up to its expiry, not after")
    func timeEdges() async throws {
        defer { cleanUp() }
        let setup = try await setUp()
        let ahead = try decision(setup, id: "ahead-60", issuedAt: now.addingTimeInterval(60))
        _ = try await setup.release.release(setup.wrapped, context: setup.context, decision: try sign(ahead), now: now)
        let further = try decision(setup, id: "ahead-61", issuedAt: now.addingTimeInterval(61))
        await #expect(throws: CustodianError.decisionExpired(id: "ahead-61")) {
            try await setup.release.release(
                setup.wrapped, context: setup.context, decision: try sign(further), now: now)
        }
        let ending = try decision(setup, id: "ending", issuedAt: now.addingTimeInterval(-300), lifetime: 300)
        await #expect(throws: CustodianError.decisionExpired(id: "ending")) {
            try await setup.release.release(setup.wrapped, context: setup.context, decision: try sign(ending), now: now)
        }
    }

    @Test("one decision sent to two custodian processes on one directory at once is used once")
    func concurrentClaims() async throws {
        defer { cleanUp() }
        let first = try await setUp()
        let second = try await setUp()
        let signed = try sign(try decision(first))
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for setup in [first, second, first, second] {
                group.addTask {
                    (try? await setup.release.release(
                        first.wrapped, context: first.context, decision: signed, now: now)) != nil
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 1)
    }

    @Test(
        "the rules the states signed bind the custodian: processing abroad, an agreement the operator marked in force without every signature, no rules yet"
    )
    func signedRulesRefusals() async throws {
        defer { cleanUp() }
        // Before the first heartbeat brings the rules, nothing is released.
        let unready = try await setUp(bundle: .none)
        await #expect(throws: (any Error).self) {
            try await unready.release.release(
                unready.wrapped, context: unready.context, decision: try sign(try decision(unready)), now: now)
        }
        // Restricted data is processed at home only, whatever the control plane signed.
        let setup = try await setUp()
        let abroad = try decision(setup, id: "dec-sg", processingIn: "SG")
        await #expect(throws: CustodianError.self) {
            try await setup.release.release(setup.wrapped, context: setup.context, decision: try sign(abroad), now: now)
        }
        // Shared data may be processed in Singapore under an agreement in force. The operator's
        // record says in force, with Indonesia's signature only: refused.
        var agreement = Agreement(
            id: "id-sg-processing", name: "ID-SG processing",
            parties: [try JurisdictionCode("ID"), try JurisdictionCode("SG")],
            classifications: ["shared"], purposes: [.processing], from: now.addingTimeInterval(-86_400), until: nil,
            status: .inForce)
        agreement.signatures["ID"] = try AgreementSignatures.sign(agreement.terms, with: try states.authority("ID"))
        try setup.policy.update(try bundle([agreement]))
        let shared = try decision(setup, id: "dec-shared", processingIn: "SG", classification: "shared")
        do {
            _ = try await setup.release.release(
                setup.wrapped, context: setup.context, decision: try sign(shared), now: now)
            Issue.record("released under an agreement Singapore never signed")
        } catch let error as CustodianError {
            #expect(error.code == "release_not_allowed")
            #expect(error.description.contains("id-sg-processing"), "\(error)")
        }
        // With Singapore's signature too, the same decision releases the share.
        agreement.signatures["SG"] = try AgreementSignatures.sign(agreement.terms, with: try states.authority("SG"))
        try setup.policy.update(try bundle([agreement]))
        let (_, share, _) = try await setup.release.release(
            setup.wrapped, context: setup.context, decision: try sign(shared), now: now)
        #expect(share.recipientKeyID == "requester/dec-shared")
    }

    @Test(
        "the operator's signature alone releases nothing: no consent, a forged, another agency's or state's, another request's, a wrongly signed order"
    )
    func consentRefusals() async throws {
        defer { cleanUp() }
        let setup = try await setUp()
        func refusal(_ id: String, _ consent: @escaping (UnwrapRequest, String) throws -> (String, String?))
            async throws -> String?
        {
            do {
                _ = try await setup.release.release(
                    setup.wrapped, context: setup.context,
                    decision: try sign(try decision(setup, id: id, consent: { try consent($0, $1) })), now: now)
                return nil
            } catch let error as CustodianError {
                return error.code
            }
        }
        // The operator, who holds the CA key, signs a decision with no consent in it, or its own.
        #expect(try await refusal("empty") { _, _ in ("", nil) } == "consent_malformed")
        let stranger = StateSigningKey.generate()
        #expect(
            try await refusal("operator-signed") { request, key in
                (
                    try UnwrapConsent.forTest(request, requesterKey: key, member: owner.id).signed(with: stranger),
                    owner.certificate
                )
            } == "consent_signature_invalid")
        // A certificate the operator made for itself, signed by a key no state holds.
        let forgedCertificate = try MemberCertificate(
            member: owner.id, jurisdiction: try JurisdictionCode("ID"), agency: "bps", publicKey: stranger.publicKey,
            issuedAt: now.addingTimeInterval(-60), notAfter: now.addingTimeInterval(3_600)
        ).signed(with: stranger)
        #expect(
            try await refusal("forged-certificate") { request, key in
                (
                    try UnwrapConsent.forTest(request, requesterKey: key, member: owner.id).signed(with: stranger),
                    forgedCertificate
                )
            } == "state_signature_invalid")
        // Another agency of the same state; a member Singapore certified calling itself bps.
        let other = try states.member("bpjs", of: "ID")
        #expect(
            try await refusal("other-agency") { request, key in
                (
                    try UnwrapConsent.forTest(request, requesterKey: key, member: other.id).signed(with: other.key),
                    other.certificate
                )
            } == "consent_not_owner")
        let singaporean = try states.member("bps", of: "SG")
        #expect(
            try await refusal("other-state") { request, key in
                (
                    try UnwrapConsent.forTest(request, requesterKey: key, member: singaporean.id)
                        .signed(with: singaporean.key), singaporean.certificate
                )
            } == "state_signature_invalid")
        // The owner's real consent, but for another object, or another requester's key.
        #expect(
            try await refusal("other-object") { request, key in
                var elsewhere = request
                elsewhere.objectID = "obj-2"
                return (
                    try UnwrapConsent.forTest(elsewhere, requesterKey: key, member: owner.id).signed(with: owner.key),
                    owner.certificate
                )
            } == "consent_mismatch")
        let thief = P256.KeyAgreement.PrivateKey().publicKey.x963Representation.base64EncodedString()
        #expect(
            try await refusal("other-requester") { request, _ in
                (
                    try UnwrapConsent.forTest(request, requesterKey: thief, member: owner.id).signed(with: owner.key),
                    owner.certificate
                )
            } == "consent_mismatch")
        #expect(
            try await refusal("expired-consent") { request, key in
                var consent = UnwrapConsent.forTest(request, requesterKey: key, member: owner.id)
                consent.issuedAt = now.addingTimeInterval(-900)
                consent.expiresAt = now.addingTimeInterval(-300)
                return (try consent.signed(with: owner.key), owner.certificate)
            } == "consent_expired")
        // Indonesia's authority does not read the agency's data as if it were the agency.
        #expect(
            try await refusal("authority-as-owner") { request, key in
                (
                    try UnwrapConsent.forTest(request, requesterKey: key, member: nil).signed(
                        with: try states.authority("ID")), nil
                )
            } == "consent_wrong_signer")
        // Singapore's authority cannot sign an order for Indonesian data (the decision says regulator-order).
        #expect(
            try await refusal("foreign-order") { request, key in
                var order = request
                order.justification = .regulatorOrder
                order.reference = "ORD-1"
                return (
                    try UnwrapConsent.forTest(order, requesterKey: key, member: nil).signed(
                        with: try states.authority("SG")),
                    nil
                )
            } == "consent_signature_invalid")
        // None of the refused ones was spent: the owner's own consent still goes through.
        _ = try await setup.release.release(
            setup.wrapped, context: setup.context, decision: try sign(try decision(setup, id: "good")), now: now)
    }

    @Test(
        "a custodian its state has not signed into its record releases nothing: no record, a record without it, one Singapore signed for Indonesia"
    )
    func unrecordedCustodian() async throws {
        defer { cleanUp() }
        let cases: [(String, PolicyBundle)] = [
            (
                "no-record",
                PolicyBundle(
                    alliance: try Self.alliance(), agreements: [], records: [],
                    rules: try signedRules(try Self.alliance()))
            ),
            ("not-listed", try bundle([], custodians: ["cust-id-2"])),
            ("forged", try bundle([], signer: "SG")),
        ]
        for (name, given) in cases {
            let setup = try await setUp(bundle: .some(given))
            do {
                _ = try await setup.release.release(
                    setup.wrapped, context: setup.context, decision: try sign(try decision(setup, id: name)), now: now)
                Issue.record("\(name): released by a custodian no signed record lists")
            } catch let error as CustodianError {
                #expect(error.code == "custodian_not_recorded", "\(name): \(error)")
            }
            // Once Indonesia signs it in, the same decision (not spent by the refusal) releases.
            try setup.policy.update(try bundle([]))
            _ = try await setup.release.release(
                setup.wrapped, context: setup.context, decision: try sign(try decision(setup, id: name)), now: now)
        }
    }

    @Test(
        "a classification widened without every state's signature widens nothing: processing abroad stays refused until all sign"
    )
    func unsignedRules() async throws {
        defer { cleanUp() }
        // The operator widens `restricted` to be processed anywhere in the alliance.
        var widened = try Self.alliance()
        let index = try #require(widened.classifications.firstIndex { $0.name == "restricted" })
        widened.classifications[index].processing = .alliance
        let indonesiaOnly = try signedRules(widened, version: 2, signers: [try JurisdictionCode("ID")])
        var forged = indonesiaOnly
        forged.signatures["SG"] = try AllianceRulesSignatures.sign(forged.rules, with: StateSigningKey.generate())
        let cases: [(String, SignedAllianceRules?)] = [
            ("none-signed", nil), ("indonesia-only", indonesiaOnly), ("forged-singapore", forged),
        ]
        for (name, rules) in cases {
            var bundle = try bundle([])
            bundle.rules = rules
            let setup = try await setUp(bundle: .some(bundle))
            do {
                _ = try await setup.release.release(
                    setup.wrapped, context: setup.context,
                    decision: try sign(try decision(setup, id: name, processingIn: "SG")), now: now)
                Issue.record("\(name): released for processing abroad under rules not every state signed")
            } catch let error as CustodianError {
                #expect(error.code == "release_not_allowed", "\(name): \(error)")
            }
        }
        // Every state signs the widened rules: the same request is released.
        let setup = try await setUp(
            bundle: .some(try bundle([], rules: try signedRules(widened, version: 2))))
        _ = try await setup.release.release(
            setup.wrapped, context: setup.context,
            decision: try sign(try decision(setup, id: "all-signed", processingIn: "SG")), now: now)
    }

    @Test(
        "the control plane cannot roll the rules back: older rules, an older record or a dropped suspension are kept back, across a restart"
    )
    func noRollback() async throws {
        defer { cleanUp() }
        let file = directory.appendingPathComponent("policy.json")
        // Version 1 let shared data be processed anywhere; every state then signed version 2, which
        // keeps it at home. An ID–SG agreement covers processing; Indonesia suspends it.
        var wide = try Self.alliance()
        let index = try #require(wide.classifications.firstIndex { $0.name == "shared" })
        wide.classifications[index].processing = .alliance
        let v1 = try signedRules(wide, version: 1)
        var narrow = try Self.alliance()
        narrow.classifications[index].processing = .home
        let v2 = try signedRules(narrow, version: 2)
        let setup = try await setUp(bundle: .some(try bundle([], rules: v2)), policyFile: file)
        func releasedInSingapore(_ id: String, _ policy: PublishedPolicy? = nil) async throws -> Bool {
            let release = ShareRelease(
                keystore: setup.release.keystore, ledger: setup.release.ledger, authority: authority.certificate,
                policy: policy ?? setup.policy, jurisdiction: try JurisdictionCode("ID"), custodianID: "cust-id")
            do {
                _ = try await release.release(
                    setup.wrapped, context: setup.context,
                    decision: try sign(try decision(setup, id: id, processingIn: "SG", classification: "shared")),
                    now: now)
                return true
            } catch let error as CustodianError where error.code == "release_not_allowed" {
                return false
            }
        }
        #expect(try await !releasedInSingapore("v2"))
        // The control plane plays version 1 back, and sends no rules at all: version 2 stays.
        #expect(try setup.policy.update(try bundle([], rules: v1)).contains { $0.contains("kept version 2") })
        #expect(try await !releasedInSingapore("v1-replayed"))
        var none = try bundle([])
        none.rules = nil
        #expect(try !setup.policy.update(none).isEmpty)
        #expect(try await !releasedInSingapore("no-rules"))

        // Indonesia's record at version 2 drops this custodian; version 1, which lists it, played back.
        let record = { (version: Int, custodians: [String]) in
            try JurisdictionRecordSignatures.sign(
                JurisdictionRecord(
                    jurisdiction: try JurisdictionCode("ID"), version: version, sites: [], hosts: [:],
                    custodians: custodians, embassiesHosted: [:], embassiesAbroad: [], issuedAt: now),
                with: try states.authority("ID"))
        }
        var dropped = try bundle([], rules: v2)
        dropped.records = [try record(2, [])]
        try setup.policy.update(dropped)
        var replayed = dropped
        replayed.records = [try record(1, ["cust-id"])]
        #expect(try setup.policy.update(replayed).contains { $0.contains("ID's record: kept version 2") })
        do {
            _ = try await setup.release.release(
                setup.wrapped, context: setup.context, decision: try sign(try decision(setup, id: "rec")), now: now)
            Issue.record("released under a record the state had since replaced")
        } catch let error as CustodianError {
            #expect(error.code == "custodian_not_recorded")
        }

        // Restarted on the same file, the custodian still holds version 2 and the newer record.
        let restarted = PublishedPolicy(
            rules: try PinnedPolicy(charter: try states.charter.verified(), file: file))
        #expect(restarted.rules.current?.rules?.version == 2)
        #expect(
            restarted.rules.current?.ground.keepsKeys(custodian: "cust-id", in: try JurisdictionCode("ID")) == false)

        // A suspension Indonesia signed, then left out by the control plane, stays in force (a fresh
        // custodian, under rules that let an agreement carry shared data abroad).
        let original = try signedRules(try Self.alliance(), version: 3)
        var agreement = Agreement(
            id: "id-sg-shared", name: "ID-SG shared processing",
            parties: [try JurisdictionCode("ID"), try JurisdictionCode("SG")],
            classifications: ["shared"], purposes: [.processing], from: now.addingTimeInterval(-86_400), until: nil,
            status: .inForce)
        for party in ["ID", "SG"] {
            agreement.signatures[party] = try AgreementSignatures.sign(
                agreement.terms, with: try states.authority(party))
        }
        let fresh = try await setUp(bundle: .some(try bundle([agreement], rules: original)))
        #expect(try await releasedInSingapore("agreed", fresh.policy))
        var suspended = agreement
        suspended.acts = [
            try AgreementSignatures.sign(
                AgreementAct(
                    agreement: agreement.id, version: 1, action: .suspend, party: try JurisdictionCode("ID"),
                    at: now.addingTimeInterval(-60)),
                with: try states.authority("ID"))
        ]
        try fresh.policy.update(try bundle([suspended], rules: original))
        #expect(try await !releasedInSingapore("suspended", fresh.policy))
        #expect(
            try fresh.policy.update(try bundle([agreement], rules: original)).contains { $0.contains("id-sg-shared") })
        #expect(try await !releasedInSingapore("suspension-dropped", fresh.policy))
    }

    @Test(
        "an amendment every party signed binds from then on: the version it replaced, played back, and a later one not every party signed are kept back"
    )
    func amendedAgreementsStay() async throws {
        defer { cleanUp() }
        let rules = try signedRules(try Self.alliance(), version: 1)
        func signedByAll(_ agreement: Agreement, parties: [String] = ["ID", "SG"]) throws -> Agreement {
            var signed = agreement
            signed.signatures = [:]
            for party in parties {
                signed.signatures[party] = try AgreementSignatures.sign(signed.terms, with: try states.authority(party))
            }
            return signed
        }
        // Version 1 lets Indonesian shared data be processed in Singapore; version 2, which both parties
        // signed, keeps it to storage.
        let v1 = try signedByAll(
            Agreement(
                id: "id-sg-shared", name: "ID-SG shared processing",
                parties: [try JurisdictionCode("ID"), try JurisdictionCode("SG")],
                classifications: ["shared"], purposes: [.processing], from: now.addingTimeInterval(-86_400),
                until: nil, status: .inForce))
        var proposal = v1
        proposal.amendment = v1.amendment(
            name: v1.name, classifications: v1.classifications, purposes: [.storage], from: v1.from, until: nil)
        let v2 = try signedByAll(proposal.amended)
        var widened = v2.amended
        widened.amendment = v2.amendment(
            name: v2.name, classifications: v2.classifications, purposes: [.processing], from: v2.from, until: nil)
        let v3 = try signedByAll(widened.amended, parties: ["ID"])
        #expect(v2.version == 2 && v3.version == 3)

        let setup = try await setUp(bundle: .some(try bundle([v1], rules: rules)))
        var attempt = 0
        func releasedInSingapore() async throws -> Bool {
            attempt += 1
            do {
                _ = try await setup.release.release(
                    setup.wrapped, context: setup.context,
                    decision: try sign(
                        try decision(setup, id: "dec-\(attempt)", processingIn: "SG", classification: "shared")),
                    now: now)
                return true
            } catch let error as CustodianError where error.code == "release_not_allowed" {
                return false
            }
        }
        #expect(try await releasedInSingapore())
        #expect(try setup.policy.update(try bundle([v2], rules: rules)).isEmpty)
        #expect(try await !releasedInSingapore(), "version 2 keeps the data to storage")
        // Version 1 played back, version 3 with Singapore's signature missing, or no agreement at all.
        for (offered, name) in [([v1], "version 1"), ([v3], "version 3"), ([], "none")] {
            let kept = try setup.policy.update(try bundle(offered, rules: rules))
            #expect(kept.contains { $0.contains("id-sg-shared: kept version 2") && $0.contains(name) }, "\(kept)")
            #expect(try await !releasedInSingapore(), "\(name) offered")
        }
        // Once Singapore signs version 3 too, it binds.
        #expect(try setup.policy.update(try bundle([try signedByAll(v3)], rules: rules)).isEmpty)
        #expect(try await releasedInSingapore())
    }
}
