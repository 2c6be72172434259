import DaulatCore
import DaulatPKI
import DaulatTestSupport
import Foundation
import Testing

@Suite("Agreements: in force only once every party signed; suspended, resumed or ended by a party's signed act")
struct AgreementSigningTests {
    @Test(
        "one signature leaves a draft; the last brings it into force; a signature over other terms counts for nothing",
        arguments: StoreKind.allCases)
    func signing(kind: StoreKind) async throws {
        try await APIHarness.run(kind) { api in
            let draft = try await api.admin(.get, "/v1/agreements/my-sg-restricted").decode(Agreement.self)
            #expect(draft.status == .draft && draft.signatures.isEmpty)

            // Singapore's authority signs terms that differ from the draft's by one purpose.
            var other = draft.terms
            other.purposes.append(.processing)
            let forged = try AgreementSignatures.sign(other, with: try api.states.authority("SG"))
            let refused = try await api.admin(
                .post, "/v1/agreements/my-sg-restricted/signatures",
                json: try CanonicalJSON.encode(["jurisdiction": "SG", "signature": forged]))
            #expect(refused.status == 422 && refused.errorCode == "agreement_signature_invalid")
            // Malaysia's key cannot sign for Singapore.
            let wrongKey = try AgreementSignatures.sign(draft.terms, with: try api.states.authority("MY"))
            let misattributed = try await api.admin(
                .post, "/v1/agreements/my-sg-restricted/signatures",
                json: try CanonicalJSON.encode(["jurisdiction": "SG", "signature": wrongKey]))
            #expect(misattributed.status == 422 && misattributed.errorCode == "agreement_signature_invalid")

            let one = try await api.sign("my-sg-restricted", by: "MY")
            #expect(one.status == 200)
            #expect(try one.decode(Agreement.self).status == .draft)
            #expect(try one.decode(Agreement.self).unsignedParties == [try JurisdictionCode("SG")])
            // Singapore's own regulator may hand in Singapore's signature.
            let singapore = try await api.issueToken(role: "regulator", jurisdiction: "SG")
            let signature = try AgreementSignatures.sign(draft.terms, with: try api.states.authority("SG"))
            let both = try await api.send(
                .post, "/v1/agreements/my-sg-restricted/signatures", token: singapore,
                json: try CanonicalJSON.encode(["jurisdiction": "SG", "signature": signature]))
            #expect(both.status == 200)
            let inForce = try both.decode(Agreement.self)
            #expect(inForce.status == .inForce)
            #expect(
                AgreementSignatures.standing(of: inForce, under: try api.states.charter.verified()).status == .inForce)
            let actions = try await api.store.auditEntries(after: 0, limit: 10_000).filter {
                $0.subjectKind == "agreement"
            }
            .suffix(2).map(\.action)
            #expect(actions == ["agreement.signed", "agreement.in_force"])
        }
    }

    @Test(
        "a party's act: not a party's, not its key, replayed, stale or lifting another's suspension is refused and changes nothing",
        arguments: StoreKind.allCases)
    func acts(kind: StoreKind) async throws {
        try await APIHarness.run(kind) { api in
            let before = try await api.admin(.get, "/v1/agreements/id-sg-restricted").decode(Agreement.self)
            #expect(before.status == .inForce)
            let charter = try api.states.charter.verified()

            // Malaysia is not a party; Singapore's key does not sign for Indonesia.
            let stranger = try await api.act(.suspend, "id-sg-restricted", by: "MY")
            #expect(stranger.status == 422 && stranger.errorCode == "not_a_party")
            let posing = AgreementAct(
                agreement: "id-sg-restricted", version: 1, action: .suspend, party: try JurisdictionCode("ID"),
                at: CanonicalJSON.rounded(Date()))
            let posed = try await api.admin(
                .post, "/v1/agreements/id-sg-restricted/acts",
                json: try CanonicalJSON.encode([
                    "act": try AgreementSignatures.sign(posing, with: try api.states.authority("SG"))
                ]))
            #expect(posed.status == 422 && posed.errorCode == "agreement_signature_invalid")
            // An act kept for later, or signed for another agreement, is refused.
            let old = try await api.act(.suspend, "id-sg-restricted", by: "ID", at: Date().addingTimeInterval(-1_200))
            #expect(old.status == 409 && old.errorCode == "agreement_act_stale")
            let elsewhere = try await api.admin(
                .post, "/v1/agreements/id-sg-restricted/acts",
                json: try await api.actBody(.suspend, "ee-fi-x-road", by: "EE"))
            #expect(elsewhere.status == 422)
            #expect(try await api.admin(.get, "/v1/agreements/id-sg-restricted").decode(Agreement.self) == before)

            // Indonesia suspends; Singapore cannot lift it; the same act again is refused.
            let body = try await api.actBody(.suspend, "id-sg-restricted", by: "ID")
            let suspended = try await api.admin(.post, "/v1/agreements/id-sg-restricted/acts", json: body)
            #expect(suspended.status == 200)
            #expect(try suspended.decode(Agreement.self).status == .suspended)
            let replayed = try await api.admin(.post, "/v1/agreements/id-sg-restricted/acts", json: body)
            #expect(replayed.status == 409 && replayed.errorCode == "agreement_act_replayed")
            let lifted = try await api.act(.resume, "id-sg-restricted", by: "SG", at: Date().addingTimeInterval(1))
            #expect(lifted.status == 409 && lifted.errorCode == "invalid_transition")
            #expect(lifted.errorMessage?.contains("suspended by ID") == true)

            let resumed = try await api.act(.resume, "id-sg-restricted", by: "ID", at: Date().addingTimeInterval(2))
            #expect(resumed.status == 200)
            let record = try resumed.decode(Agreement.self)
            #expect(record.status == .inForce)
            #expect(AgreementSignatures.standing(of: record, under: charter).status == .inForce)
            let ended = try await api.act(.terminate, "id-sg-restricted", by: "SG", at: Date().addingTimeInterval(3))
            #expect(try ended.decode(Agreement.self).status == .terminated)
            let after = try await api.act(.resume, "id-sg-restricted", by: "ID", at: Date().addingTimeInterval(4))
            #expect(after.status == 409)
        }
    }

    @Test(
        "an amendment binds nothing until every party signed it, then replaces the version whole; bad drafts, other tokens and ended agreements change nothing",
        arguments: StoreKind.allCases)
    func amendments(kind: StoreKind) async throws {
        try await APIHarness.run(kind) { api in
            let charter = try api.states.charter.verified()
            let path = "/v1/agreements/id-sg-restricted"
            // Indonesia suspends version 1: the suspension lapses with it once both parties sign version 2.
            #expect(try await api.act(.suspend, "id-sg-restricted", by: "ID").status == 200)
            let before = try await api.admin(.get, path).decode(Agreement.self)
            #expect(before.version == 1 && before.status == .suspended && before.purposes.contains(.processing))

            let regulator = try await api.issueToken(role: "regulator", jurisdiction: "ID")
            let asRegulator = try await api.send(
                .post, path + "/amendments", token: regulator, json: #"{"purposes":["storage"]}"#)
            #expect(asRegulator.status == 403)
            for (json, status, code) in [
                (#"{"classifications":["no-such-level"]}"#, 422, "unknown_classification"),
                (#"{"until":"2001-01-01T00:00:00Z"}"#, 422, "invalid_agreement_window"),
                (#"{"purposes":[]}"#, 422, "invalid_agreement"),
                (#"{"parties":["ID","MY"]}"#, 400, nil),
                (#"{"purposes":"storage"}"#, 400, nil),
                ("{", 400, nil),
            ] as [(String, Int, String?)] {
                let refused = try await api.admin(.post, path + "/amendments", json: json)
                #expect(
                    refused.status == status && (code == nil || refused.errorCode == code), "\(json): \(refused.body)")
            }
            #expect(try await api.admin(.post, "/v1/agreements/nope/amendments", json: "{}").status == 404)
            #expect(try await api.admin(.get, path).decode(Agreement.self) == before, "refusals change nothing")

            // The operator drafts version 2: storage only, ending in 2030.
            let drafted = try await api.admin(
                .post, path + "/amendments", json: #"{"purposes":["storage"],"until":"2030-01-01T00:00:00Z"}"#)
            #expect(drafted.status == 200, "\(drafted.body)")
            let proposed = try #require(try drafted.decode(Agreement.self).amendment)
            #expect(proposed.terms.version == 2 && proposed.terms.purposes == [.storage])
            #expect(proposed.terms.parties == before.parties && proposed.unsignedParties.count == 2)
            func sign(_ terms: AgreementTerms, as party: String) async throws -> APIHarness.Reply {
                try await api.admin(
                    .post, path + "/signatures",
                    json: try CanonicalJSON.encode([
                        "jurisdiction": party,
                        "signature": try AgreementSignatures.sign(terms, with: try api.states.authority(party)),
                    ]))
            }
            // Indonesia signs it: version 1 still stands, suspension and all.
            let one = try await sign(proposed.terms, as: "ID")
            #expect(one.status == 200)
            let half = try one.decode(Agreement.self)
            #expect(half.version == 1 && half.status == .suspended && half.purposes.contains(.processing))
            #expect(half.amendment?.unsignedParties == [try JurisdictionCode("SG")])
            // A signature over terms no one proposed counts for nothing.
            var other = proposed.terms
            other.purposes = [.storage, .processing]
            let forged = try await sign(other, as: "SG")
            #expect(forged.status == 422 && forged.errorCode == "agreement_signature_invalid")

            // Singapore signs: version 2 replaces version 1 whole.
            let both = try await sign(proposed.terms, as: "SG")
            #expect(both.status == 200)
            let amended = try both.decode(Agreement.self)
            #expect(amended.version == 2 && amended.purposes == [.storage] && amended.amendment == nil)
            #expect(amended.acts.isEmpty && amended.status == .inForce)
            #expect(AgreementSignatures.standing(of: amended, under: charter).status == .inForce)
            let actions = try await api.store.auditEntries(after: 0, limit: 10_000).filter {
                $0.subjectKind == "agreement" && $0.subjectID == "id-sg-restricted"
            }
            .suffix(3).map(\.action)
            #expect(actions == ["agreement.amendment_drafted", "agreement.amendment_signed", "agreement.amended"])
            // Version 1's signature and acts are for version 1 only.
            let replayed = try await sign(before.terms, as: "SG")
            #expect(replayed.status == 422 && replayed.errorCode == "agreement_signature_invalid")

            // Once a party ends it, no amendment revives it.
            #expect(try await api.act(.terminate, "id-sg-restricted", by: "SG").status == 200)
            let revived = try await api.admin(.post, path + "/amendments", json: #"{"purposes":["processing"]}"#)
            #expect(revived.status == 409 && revived.errorCode == "agreement_terminated")
        }
    }
}
