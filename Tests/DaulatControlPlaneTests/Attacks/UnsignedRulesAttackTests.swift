import DaulatControlPlane
import DaulatCore
import DaulatPKI
import DaulatStore
import DaulatTestSupport
import Foundation
import Testing

extension Attacks {
    /// The operator widens a classification in its own database so that the control plane allows a
    /// state's data where the states agreed it may not go; a real agent, which applies only the rules
    /// every state signed, holds no copy there, and the API takes no version of the rules without
    /// every state's own signature.
    @Suite("The operator cannot widen the alliance's rules without every state's signature")
    struct UnsignedRulesAttackTests {
        @Test(
            "restricted data widened to the whole alliance in the database: the control plane places a copy in Malaysia, its agent refuses until every state signs",
            arguments: StoreKind.allCases)
        func widenedClassification(kind: StoreKind) async throws {
            try await AttackScene.run(kind) { scene in
                let api = scene.api
                var widened = try await api.store.alliance().requireClassification("restricted")
                widened.storage = .alliance
                try await Self.operatorSQL(
                    api.store,
                    "UPDATE classifications SET document = \(try CanonicalJSON.encode(widened)) WHERE name = 'restricted'"
                )
                try await Self.operatorSQL(api.store, "UPDATE catalog_version SET version = version + 1 WHERE id = 1")

                // Four copies, Indonesia and Malaysia: three Indonesian hosts and one Malaysian.
                let (_, _, malaysian, bytes) = try await scene.censusReachingMalaysia()
                try await scene.startAgent(malaysian)
                let refused = try await UnrecordedGroundAttackTests.refusal(
                    by: malaysian, saying: "rules the states signed do not allow it in MY", api: api)
                #expect(refused, "the Malaysian agent reports its refusal")
                try await Task.sleep(for: .seconds(2))
                #expect(scene.hostsHolding(bytes, among: [malaysian]).isEmpty, "no copy crossed the border")

                // Indonesia alone signing the widened rules changes nothing; Malaysia's key forged by the
                // operator is refused.
                let rules = try await api.admin(.get, "/v1/alliance/rules").decode(AllianceRulesView.self)
                #expect(!rules.current && rules.draft.version == 2)
                try await api.signRules(by: ["ID"])
                let forged = try AllianceRulesSignatures.sign(rules.draft, with: StateSigningKey.generate())
                let refusedSignature = try await api.admin(
                    .post, "/v1/alliance/rules/signatures",
                    json: #"{"jurisdiction":"MY","version":2,"signature":"\#(forged)"}"#)
                #expect(refusedSignature.errorCode == "alliance_rules_signature_invalid")
                let pending = try await api.admin(.get, "/v1/alliance/rules").decode(AllianceRulesView.self)
                #expect(pending.inForce?.rules.version == 1)
                #expect(pending.unsigned.count == api.states.authorities.count - 1)
                try await Task.sleep(for: .seconds(3))
                #expect(scene.hostsHolding(bytes, among: [malaysian]).isEmpty, "one state's signature is not all")

                // Every state signs: the widened rules bind, and the agent makes the copy.
                let signed = try await api.signRules()
                #expect(try signed.decode(AllianceRulesView.self).inForce?.rules.version == 2)
                let copied = try await api.eventually(within: 20) {
                    !scene.hostsHolding(bytes, among: [malaysian]).isEmpty
                }
                #expect(copied, "once every state signed, Malaysia's agent holds the copy")
            }
        }

        @Test(
            "signatures on the rules: stale, for a draft the operator changed since, by a stranger, by the wrong token, malformed; nothing signed twice into force",
            arguments: StoreKind.allCases)
        func signatureRefusals(kind: StoreKind) async throws {
            try await APIHarness.run(kind) { api in
                let current = try await api.admin(.get, "/v1/alliance/rules").decode(AllianceRulesView.self)
                #expect(current.current && current.inForce?.rules.version == 1 && current.unsigned.isEmpty)
                func post(_ json: String, token: String? = nil) async throws -> APIHarness.Reply {
                    try await api.send(
                        .post, "/v1/alliance/rules/signatures", token: token ?? api.adminToken, json: json)
                }
                let key = try api.states.authority("ID")
                let sameAgain = try AllianceRulesSignatures.sign(current.draft, with: key)
                #expect(
                    try await post(#"{"jurisdiction":"ID","version":2,"signature":"\#(sameAgain)"}"#).errorCode
                        == "alliance_rules_current")

                // The operator adds a level; Indonesia signs the draft.
                #expect(
                    try await api.admin(
                        .post, "/v1/classifications",
                        json:
                            #"{"name":"trade","rank":5,"storage":"alliance","keys":"alliance","processing":"alliance","dataEmbassyPermitted":false,"defaultReplicas":1,"defaultMinDistinctSites":1,"homeReplicaRequired":false}"#
                    ).status == 201)
                let draft = try await api.admin(.get, "/v1/alliance/rules").decode(AllianceRulesView.self).draft
                let indonesia = try AllianceRulesSignatures.sign(draft, with: key)
                #expect(try await post(#"{"jurisdiction":"ID","version":2,"signature":"\#(indonesia)"}"#).status == 200)
                // Version 1 again, or 3: stale. Singapore's key signing as Indonesia; garbage.
                #expect(
                    try await post(#"{"jurisdiction":"ID","version":1,"signature":"\#(indonesia)"}"#).errorCode
                        == "alliance_rules_stale")
                #expect(
                    try await post(#"{"jurisdiction":"ID","version":3,"signature":"\#(indonesia)"}"#).errorCode
                        == "alliance_rules_stale")
                let singapore = try AllianceRulesSignatures.sign(draft, with: try api.states.authority("SG"))
                #expect(
                    try await post(#"{"jurisdiction":"ID","version":2,"signature":"\#(singapore)"}"#).errorCode
                        == "alliance_rules_signature_invalid")
                #expect(
                    try await post(#"{"jurisdiction":"ID","version":2,"signature":"!!"}"#).errorCode
                        == "alliance_rules_signature_invalid")
                #expect(try await post(#"{"jurisdiction":"ID","version":"2","signature":"x"}"#).status == 400)
                #expect(try await post(#"{"jurisdiction":"ID","version":2}"#).status == 400)
                #expect(
                    try await post(#"{"jurisdiction":"ID","version":2,"signature":"x","extra":true}"#).status == 400)
                // An owner, or Singapore's regulator handing in Indonesia's real signature: 403.
                let owner = try await api.issueToken(role: "owner", agency: "bps")
                #expect(
                    try await post(#"{"jurisdiction":"ID","version":2,"signature":"\#(indonesia)"}"#, token: owner)
                        .status == 403)
                let regulator = try await api.issueToken(role: "regulator", jurisdiction: "SG")
                #expect(
                    try await post(#"{"jurisdiction":"ID","version":2,"signature":"\#(indonesia)"}"#, token: regulator)
                        .status == 403)
                let pending = try await api.admin(.get, "/v1/alliance/rules").decode(AllianceRulesView.self)
                #expect(pending.signatures.keys.sorted() == ["ID"])

                // The operator changes the draft again before the others sign: Indonesia's signature
                // was over other rules and lapses; its old signature no longer verifies.
                #expect(
                    try await api.admin(
                        .post, "/v1/classifications",
                        json:
                            #"{"name":"trade-2","rank":6,"storage":"home","keys":"home","processing":"home","dataEmbassyPermitted":false,"defaultReplicas":1,"defaultMinDistinctSites":1,"homeReplicaRequired":false}"#
                    ).status == 201)
                #expect(
                    try await post(#"{"jurisdiction":"ID","version":2,"signature":"\#(indonesia)"}"#).errorCode
                        == "alliance_rules_signature_invalid")
                let redrafted = try await api.admin(.get, "/v1/alliance/rules").decode(AllianceRulesView.self)
                #expect(redrafted.signatures.isEmpty && redrafted.inForce?.rules.version == 1)
                #expect(try await api.signRules().decode(AllianceRulesView.self).current)
                let entries = try await api.store.auditEntries(after: 0, limit: 10_000).filter {
                    $0.action == "alliance.rules_in_force"
                }
                #expect(entries.map(\.subjectID) == ["v1", "v2"])
            }
        }

        /// A statement run on the operator's own database, behind the control plane's back.
        static func operatorSQL(_ store: any DaulatStore, _ statement: SQLStatement) async throws {
            if let store = store as? SQLDaulatStore<SQLiteBackend> {
                _ = try await store.backend.execute(statement)
            } else if let store = store as? SQLDaulatStore<PostgresBackend> {
                _ = try await store.backend.execute(statement)
            } else {
                Issue.record("no database under \(type(of: store))")
            }
        }
    }
}
