import DaulatCore
import Foundation
import Testing

@Suite("Custody rule: who may have a data key unwrapped, from where, and why")
struct CustodyRuleTests {
    func evaluate(home: String, classification: String, embassy: Bool = false) throws -> EvaluatedPolicy {
        try Fixture.evaluator.evaluate(
            Fixture.dataset(
                home: home, classification: classification, policy: ResidencyPolicy(dataEmbassyAllowed: embassy)),
            at: Fixture.now)
    }

    func request(_ jurisdiction: String, _ justification: Justification = .ownerAccess, reference: String? = nil)
        -> UnwrapRequest
    {
        UnwrapRequest(
            datasetID: "census-2025", objectID: "obj-1", jurisdiction: Fixture.code(jurisdiction),
            justification: justification, reference: reference)
    }

    func refusal(
        _ request: UnwrapRequest, _ policy: EvaluatedPolicy, quarantined: Bool = false, declared: Bool = false
    ) -> DomainError.Code? {
        CustodyRule.refusal(
            of: request, policy: policy, quarantined: quarantined, disasterRecoveryDeclared: declared)?.code
    }

    @Test("exactly the jurisdictions where the dataset may be processed now get its keys opened")
    func processingJurisdictions() throws {
        for (home, classification) in [("ID", "restricted"), ("ID", "public"), ("EE", "restricted"), ("FI", "secret")] {
            let policy = try evaluate(home: home, classification: classification)
            for jurisdiction in Fixture.alliance.jurisdictionCodes {
                let allowed = policy.allowed(.processing).contains(jurisdiction)
                let refused = refusal(request(jurisdiction.rawValue), policy)
                #expect(
                    refused == (allowed ? nil : .processingNotAllowed),
                    "\(home) \(classification) from \(jurisdiction.rawValue)")
            }
        }
        // Indonesian restricted data may be stored in Singapore under the agreement, but its plaintext is
        // processed at home only: the ciphertext crosses the border, the key does not open there.
        let restricted = try evaluate(home: "ID", classification: "restricted")
        #expect(restricted.allowed(.storage).contains(Fixture.code("SG")))
        #expect(refusal(request("ID"), restricted) == nil)
        let message = try #require(
            CustodyRule.refusal(
                of: request("SG"), policy: restricted, quarantined: false, disasterRecoveryDeclared: false))
        #expect(message.code == .processingNotAllowed && message.message.contains("SG"))
    }

    @Test("a quarantined object's key is opened for no one, not even at home")
    func quarantine() throws {
        let policy = try evaluate(home: "ID", classification: "restricted")
        for justification in Justification.allCases {
            #expect(
                refusal(request("ID", justification, reference: "order 1"), policy, quarantined: true)
                    == .objectQuarantined)
        }
    }

    @Test("at a data embassy keys are opened only in a declared disaster recovery, and only for it")
    func dataEmbassy() throws {
        let policy = try evaluate(home: "EE", classification: "secret", embassy: true)
        #expect(policy.allowed(.storage).contains(Fixture.code("LU")))
        #expect(refusal(request("LU"), policy) == .disasterRecoveryNotDeclared)
        #expect(refusal(request("LU", .disasterRecovery), policy) == .disasterRecoveryNotDeclared)
        #expect(refusal(request("LU", .disasterRecovery), policy, declared: true) == nil)
        #expect(refusal(request("LU", .ownerAccess), policy, declared: true) == .processingNotAllowed)
        // A declaration opens the embassy, not the rest of the partner state or anywhere else.
        #expect(refusal(request("FI", .disasterRecovery), policy, declared: true) == .processingNotAllowed)
        #expect(refusal(request("EE"), policy) == nil)
        // Without the policy's opt-in there is no embassy copy, so nothing to recover there.
        let noEmbassy = try evaluate(home: "EE", classification: "secret")
        #expect(refusal(request("LU", .disasterRecovery), noEmbassy, declared: true) == .processingNotAllowed)
    }

    @Test("orders and requests must name what they rest on; unknown justifications do not decode")
    func justifications() throws {
        let policy = try evaluate(home: "ID", classification: "restricted")
        for justification in [Justification.regulatorOrder, .lawEnforcementRequest] {
            #expect(refusal(request("ID", justification), policy) == .referenceRequired)
            #expect(refusal(request("ID", justification, reference: "  "), policy) == .referenceRequired)
            #expect(refusal(request("ID", justification, reference: "KPK/2026/114"), policy) == nil)
        }
        #expect(refusal(request("ID", .ownerAccess), policy) == nil)
        #expect(refusal(request("ID", .regulatorOrder, reference: "\n"), policy) == .referenceRequired)
        // A policy evaluated for another dataset decides nothing for this one.
        var other = request("ID")
        other.datasetID = "another-dataset"
        #expect(refusal(other, policy) == .processingNotAllowed)
        let decoded = try JSONDecoder().decode(
            [Justification].self, from: Data(#"["owner-access","disaster-recovery"]"#.utf8))
        #expect(decoded == [.ownerAccess, .disasterRecovery])
        #expect(throws: DomainError.self) {
            try JSONDecoder().decode([Justification].self, from: Data(#"["curiosity"]"#.utf8))
        }
    }
}
