import Crypto
import DaulatCore
import DaulatPKI
import DaulatTestSupport
import Foundation
import Testing

extension Attacks {
    /// The operator edits its own database to bring an agreement into force that one party never signed,
    /// so that the control plane allows processing or storage abroad; a real custodian and a real agent,
    /// which believe an agreement only as far as its parties' signatures under their own charter go,
    /// release no key and hold no copy on it.
    @Suite("The operator cannot bring an agreement into force without every party's signature")
    struct UnsignedAgreementAttackTests {
        @Test(
            "an agreement marked in force in the database with Singapore's signature missing: the control plane decides, the custodian refuses",
            arguments: StoreKind.allCases)
        func custodianRefuses(kind: StoreKind) async throws {
            try await AttackScene.run(kind) { scene in
                let api = scene.api
                // Trade data may be processed abroad only under an agreement in force, Indonesia–Singapore
                // drafted for it.
                #expect(
                    try await api.admin(
                        .post, "/v1/classifications",
                        json:
                            #"{"name":"trade","rank":5,"storage":"home","keys":"home","processing":"home-and-agreements","dataEmbassyPermitted":false,"defaultReplicas":1,"defaultMinDistinctSites":1,"homeReplicaRequired":true}"#
                    ).status == 201)
                // Every state signs the rule base with the new level, so that the agreement alone decides.
                try await api.signRules()
                try await Self.draft(
                    #"{"id":"id-sg-trade","name":"ID-SG trade processing","parties":["ID","SG"],"classifications":["trade"],"purposes":["processing"],"from":"2020-01-01"}"#,
                    api: api)
                let owner = try await api.issueToken(role: "owner", agency: "bps")
                try await scene.startCustodian("id-custodian-1")
                let trade = try await scene.register("exports", token: owner, classification: "trade")
                try await scene.startAgent(try #require(trade.placed.first))
                let object = try await scene.custodiedObject(dataset: trade.id, owner: owner)
                let unwrapPath = "/v1/datasets/\(trade.id)/objects/\(object.objectID)/unwrap"
                let request = UnwrapRequest(
                    datasetID: trade.id, objectID: object.objectID, jurisdiction: try JurisdictionCode("SG"),
                    justification: .ownerAccess)
                let member = try api.states.member("bps", of: "ID")
                func unwrapInSingapore() async throws -> (
                    decision: APIHarness.Reply, custodian: (status: Int, body: String)
                ) {
                    let requesterKey = P256.KeyAgreement.PrivateKey().publicKey.x963Representation.base64EncodedString()
                    let decided = try await api.send(
                        .post, unwrapPath, token: owner,
                        json: try member.unwrapBody(request, requesterKey: requesterKey))
                    guard decided.status == 200, let decision = decided.json["decision"] as? String else {
                        return (decided, (0, ""))
                    }
                    let key = try #require(try await api.store.objectKeys(objectID: object.objectID).first)
                    let answer = try await TrustingClient.post(
                        try JSONEncoder().encode(
                            CustodianMessages.ShareRequest(decision: decision, objectID: object.objectID, key: key)),
                        to: object.custodianURL + "/v1/unwrap", trusting: try object.authority.certificatePEM)
                    return (decided, answer)
                }
                let draft = try await unwrapInSingapore()
                #expect(draft.decision.status == 403, "a draft admits nothing: \(draft.decision.errorMessage ?? "")")

                // Indonesia signs; the operator writes the agreement in force in its database.
                try await Self.forceIntoForce("id-sg-trade", signedBy: "ID", api: api)
                try await Task.sleep(for: .seconds(2))  // a custodian heartbeat brings the edited record
                let forged = try await unwrapInSingapore()
                #expect(forged.decision.status == 200, "the control plane follows its database")
                #expect(forged.custodian.status == 403, "\(forged.custodian.body)")
                #expect(forged.custodian.body.contains("release_not_allowed"), "\(forged.custodian.body)")
                #expect(forged.custodian.body.contains("id-sg-trade"), "\(forged.custodian.body)")

                // Singapore signs too: the same request is released.
                #expect(try await api.sign("id-sg-trade", by: "SG").status == 200)
                try await Task.sleep(for: .seconds(2))
                let signed = try await unwrapInSingapore()
                #expect(signed.custodian.status == 200, "\(signed.custodian.body)")
            }
        }

        @Test(
            "an agreement marked in force in the database with Malaysia's signature missing: the control plane places a copy in Malaysia, its agent refuses it",
            arguments: StoreKind.allCases)
        func agentRefuses(kind: StoreKind) async throws {
            try await AttackScene.run(kind) { scene in
                let api = scene.api
                // An Indonesia–Malaysia agreement for restricted data, drafted; Indonesia signs; the
                // operator writes it in force in its database.
                try await Self.draft(
                    #"{"id":"id-my-restricted","name":"ID-MY restricted storage","parties":["ID","MY"],"classifications":["restricted"],"purposes":["storage"],"from":"2020-01-01"}"#,
                    api: api)
                try await Self.forceIntoForce("id-my-restricted", signedBy: "ID", api: api)
                // Four copies, Indonesia and Malaysia only: Indonesia has three hosts, so one is in Malaysia.
                let (owner, censusID, malaysian, first) = try await scene.censusReachingMalaysia()

                // Malaysia's agent is told to copy it, and refuses: by the signatures, no agreement is in force.
                try await scene.startAgent(malaysian)
                let refused = try await api.eventually {
                    try await api.store.auditEntries(after: 0, limit: 10_000).contains {
                        $0.action == "agent.assignment_refused" && $0.subjectID == malaysian
                            && $0.after?.contains("rules the states signed") == true
                    }
                }
                #expect(refused, "the Malaysian agent reports its refusal")
                // An upload the control plane sends there is refused too.
                let second = (0..<4096).map { _ in UInt8.random(in: 0...255) }
                let upload = try await scene.put(second, dataset: censusID, token: owner)
                if upload.transfer.host == malaysian { #expect(upload.status == 403) }
                try await Task.sleep(for: .seconds(3))
                #expect(scene.hostsHolding(first, among: [malaysian]).isEmpty, "no copy crossed the border")
                #expect(scene.hostsHolding(second, among: [malaysian]).isEmpty, "no copy crossed the border")

                // Malaysia signs too: the agreement is in force by its signatures, and the copy is made.
                #expect(try await api.sign("id-my-restricted", by: "MY").status == 200)
                let copied = try await api.eventually(within: 20) {
                    !scene.hostsHolding(first, among: [malaysian]).isEmpty
                }
                #expect(copied, "once both parties signed, Malaysia's agent holds the copy")
            }
        }

        /// The operator drafts an agreement (`json`, as `POST /v1/agreements` takes it).
        static func draft(_ json: String, api: APIHarness) async throws {
            #expect(try await api.admin(.post, "/v1/agreements", json: json).status == 201)
        }

        /// `party` signs the agreement, and the operator writes it "in force" in its own database,
        /// though no other party signed.
        static func forceIntoForce(_ id: String, signedBy party: String, api: APIHarness) async throws {
            #expect(try await api.sign(id, by: party).status == 200)
            try await api.store.updateAgreement(id: id, actor: "operator:db") {
                var edited = $0
                edited.status = .inForce
                return (edited, "agreement.in_force")
            }
        }
    }
}
