import DaulatControlPlane
import DaulatCore
import DaulatPKI
import DaulatTestSupport
import Foundation
import Testing

extension Attacks {
    /// The operator changes where a host stands, or adds one no state signed in, so that the control
    /// plane places a state's data there; the real agent, which takes where it stands from its state's
    /// signed record of its ground and not from the control plane's database, holds no copy. A state's
    /// record is accepted only with its own authority's signature, and never replaced by an older one.
    @Suite("The operator cannot move a host across a border, or add one, without its state's signature")
    struct UnrecordedGroundAttackTests {
        @Test(
            "a Malaysian host moved into an Indonesian site in the database: the control plane places census data on it, its agent refuses",
            arguments: StoreKind.allCases)
        func hostMovedAcrossTheBorder(kind: StoreKind) async throws {
            try await AttackScene.run(kind) { scene in
                let api = scene.api
                // The operator's database now says my-kul-1-a stands in Batam; Malaysia's signed record
                // still says Kuala Lumpur.
                try await api.store.putHost(
                    StorageHost(
                        id: "my-kul-1-a", siteID: "id-btm-1", capacityBytes: 1 << 40, freeBytes: 1 << 40),
                    actor: "operator:db")
                // Four copies, Indonesia only: three Indonesian hosts and the moved one.
                let (owner, census, placed) = try await scene.indonesianCensus(replicas: 4)
                #expect(placed.contains("my-kul-1-a"), "the control plane follows its database: \(placed)")
                for host in placed where host != "my-kul-1-a" { try await scene.startAgent(host) }
                let first = (0..<4096).map { _ in UInt8.random(in: 0...255) }
                #expect(try await scene.put(first, dataset: census, token: owner).status == 201)

                try await scene.startAgent("my-kul-1-a")
                let refused = try await Self.refusal(
                    by: "my-kul-1-a", saying: "stands in MY by the record its state signed", api: api)
                #expect(refused, "the moved host's agent reports its refusal")
                let second = (0..<4096).map { _ in UInt8.random(in: 0...255) }
                let upload = try await scene.put(second, dataset: census, token: owner)
                if upload.transfer.host == "my-kul-1-a" { #expect(upload.status == 403) }
                try await Task.sleep(for: .seconds(3))
                #expect(scene.hostsHolding(first, among: ["my-kul-1-a"]).isEmpty, "no copy crossed the border")
                #expect(scene.hostsHolding(second, among: ["my-kul-1-a"]).isEmpty, "no copy crossed the border")
            }
        }

        @Test(
            "a host the operator adds to an Indonesian site holds nothing until Indonesia signs it into its record",
            arguments: StoreKind.allCases)
        func hostAddedWithoutTheState(kind: StoreKind) async throws {
            try await AttackScene.run(kind) { scene in
                let api = scene.api
                let added = try await api.admin(
                    .put, "/v1/hosts/id-jkt-1-c",
                    json:
                        #"{"id":"id-jkt-1-c","siteID":"id-jkt-1","capacityBytes":1099511627776,"freeBytes":1099511627776}"#
                )
                #expect(added.status == 200, "\(added.errorMessage ?? "")")
                let before = try await api.admin(.get, "/v1/jurisdictions/ID/record").decode(
                    JurisdictionRecordView.self)
                #expect(!before.current, "the topology now has a host Indonesia's record does not")
                #expect(before.draft.hosts["id-jkt-1-c"] == "id-jkt-1")
                #expect(before.record?.hosts["id-jkt-1-c"] == nil)

                let (owner, census, placed) = try await scene.indonesianCensus(replicas: 4)
                #expect(placed.contains("id-jkt-1-c"), "\(placed)")
                for host in placed where host != "id-jkt-1-c" { try await scene.startAgent(host) }
                let bytes = (0..<4096).map { _ in UInt8.random(in: 0...255) }
                #expect(try await scene.put(bytes, dataset: census, token: owner).status == 201)
                try await scene.startAgent("id-jkt-1-c")
                let refused = try await Self.refusal(
                    by: "id-jkt-1-c", saying: "no state's signed record places host 'id-jkt-1-c'", api: api)
                #expect(refused, "the unsigned host's agent reports its refusal")
                #expect(scene.hostsHolding(bytes, among: ["id-jkt-1-c"]).isEmpty)

                // Indonesia's regulator hands in the draft as it stands now, which its authority signed:
                // the host now copies.
                let regulator = try await api.issueToken(role: "regulator", jurisdiction: "ID")
                let draft = try await api.admin(.get, "/v1/jurisdictions/ID/record").decode(
                    JurisdictionRecordView.self
                ).draft
                #expect(draft.hosts["id-jkt-1-c"] == "id-jkt-1")
                let signed = try await api.send(
                    .post, "/v1/jurisdictions/ID/record", token: regulator,
                    json: try Self.body(draft, signedBy: "ID", api: api))
                #expect(signed.status == 200, "\(signed.errorMessage ?? "")")
                #expect(try signed.decode(JurisdictionRecordView.self).current)
                let copied = try await api.eventually(within: 20) {
                    !scene.hostsHolding(bytes, among: ["id-jkt-1-c"]).isEmpty
                }
                #expect(copied, "once Indonesia signed it in, the host holds the copy")
            }
        }

        @Test(
            "a record is taken only from its own state, whole, and newer: forged, foreign, stale, malformed, by the wrong token",
            arguments: StoreKind.allCases)
        func recordsOnlyFromTheirState(kind: StoreKind) async throws {
            try await APIHarness.run(kind) { api in
                let view = try await api.admin(.get, "/v1/jurisdictions/ID/record").decode(JurisdictionRecordView.self)
                let original = try #require(view.signed)
                var grab = view.draft
                grab.hosts["sg-sin-1-a"] = "id-jkt-1"
                grab.sites.append("sg-sin-1")
                grab.sites.sort()
                func post(_ json: String, path: String = "/v1/jurisdictions/ID/record", token: String? = nil)
                    async throws -> APIHarness.Reply
                {
                    try await api.send(.post, path, token: token ?? api.adminToken, json: json)
                }
                // Singapore's authority signs a record of Indonesia's ground; the operator signs with a
                // key of its own; Singapore's own record is handed in for Indonesia.
                let foreign = try await post(try Self.body(view.draft, signedBy: "SG", api: api))
                #expect(foreign.status == 422 && foreign.errorCode == "jurisdiction_record_signature_invalid")
                let forged = try JurisdictionRecordSignatures.sign(grab, with: StateSigningKey.generate())
                let operatorKey = try await post(try CanonicalJSON.encode(["record": forged]))
                #expect(operatorKey.status == 422 && operatorKey.errorCode == "jurisdiction_record_signature_invalid")
                let singapore = try await api.admin(.get, "/v1/jurisdictions/SG/record").decode(
                    JurisdictionRecordView.self)
                let misplaced = try await post(try Self.body(singapore.draft, signedBy: "SG", api: api))
                #expect(misplaced.status == 422 && misplaced.errorCode == "jurisdiction_mismatch")
                // A site claimed but no host in it, or a host in a site the record does not list.
                var incoherent = view.draft
                incoherent.hosts["sg-sin-1-a"] = "sg-sin-1"
                let invalid = try await post(try Self.body(incoherent, signedBy: "ID", api: api))
                #expect(invalid.status == 422 && invalid.errorCode == "invalid_jurisdiction_record")
                // A version no next one can follow, though Indonesia signed it: refused, nothing breaks.
                var last = view.draft
                last.version = Int.max
                let overflow = try await post(try Self.body(last, signedBy: "ID", api: api))
                #expect(overflow.status == 422 && overflow.errorCode == "invalid_jurisdiction_record")
                // The record Indonesia signed before, played back: refused as stale.
                let replayed = try await post(try CanonicalJSON.encode(["record": original]))
                #expect(replayed.status == 409 && replayed.errorCode == "jurisdiction_record_stale")
                // Malformed bodies and texts.
                for json in [#"{"record":"not-a-record"}"#, #"{"record":"e30.AAAA"}"#] {
                    let reply = try await post(json)
                    #expect(reply.status == 422 && reply.errorCode == "jurisdiction_record_malformed", "\(json)")
                }
                #expect(try await post(#"{"record":5}"#).status == 400)
                #expect(try await post(#"{"record":"x","extra":1}"#).status == 400)
                // An owner, or Singapore's regulator, cannot hand in Indonesia's record even well signed.
                let good = try Self.body(view.draft, signedBy: "ID", api: api)
                let owner = try await api.issueToken(role: "owner", agency: "bps")
                #expect(try await post(good, token: owner).status == 403)
                let singaporean = try await api.issueToken(role: "regulator", jurisdiction: "SG")
                #expect(try await post(good, token: singaporean).status == 403)
                #expect(try await post(good, path: "/v1/jurisdictions/XX/record").status == 404)
                // Nothing changed: the record is the one signed first.
                let after = try await api.admin(.get, "/v1/jurisdictions/ID/record").decode(JurisdictionRecordView.self)
                #expect(after.signed == original)
                #expect(after.current)
                // Indonesia signing the draft is accepted, once; the same text again is stale.
                #expect(try await post(good).status == 200)
                #expect(try await post(good).errorCode == "jurisdiction_record_stale")
                let entries = try await api.store.auditEntries(after: 0, limit: 10_000).filter {
                    $0.action == "jurisdiction.record_signed" && $0.subjectID == "ID"
                }
                #expect(entries.count == 2, "the seeded record and the one accepted")
            }
        }

        /// Whether `host`'s agent reports, within seconds, an assignment it refused with `reason`.
        static func refusal(by host: String, saying reason: String, api: APIHarness) async throws -> Bool {
            try await api.eventually {
                try await api.store.auditEntries(after: 0, limit: 10_000).contains {
                    $0.action == "agent.assignment_refused" && $0.subjectID == host
                        && $0.after?.contains(reason) == true
                }
            }
        }

        /// The body of `POST /v1/jurisdictions/{code}/record`: `record` signed by `state`'s authority.
        static func body(_ record: JurisdictionRecord, signedBy state: String, api: APIHarness) throws -> String {
            try CanonicalJSON.encode([
                "record": try JurisdictionRecordSignatures.sign(record, with: try api.states.authority(state))
            ])
        }
    }
}
