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
}
