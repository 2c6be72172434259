import Crypto
import DaulatCore
import DaulatPKI
import DaulatTestSupport
import Foundation
import Testing

@Suite("The alliance charter: established once, fully signed, and the ground of every consent")
struct CharterTests {
    @Test(
        "read by any token; the same again is 200; one unsigned, with a stranger's signature, or swapping a state's key is refused",
        arguments: StoreKind.allCases)
    func establish(kind: StoreKind) async throws {
        try await APIHarness.run(kind) { api in
            let regulator = try await api.issueToken(role: "regulator", jurisdiction: "ID")
            let read = try await api.send(.get, "/v1/alliance/charter", token: regulator)
            #expect(read.status == 200)
            let served = try read.decode(SignedCharter.self)
            #expect(try served.verified() == (try api.states.charter.verified()))
            #expect(try await api.admin(.put, "/v1/alliance/charter", json: try api.states.charterText).status == 200)

            // The operator's own charter, every state's key swapped for one it holds and signed with
            // them: refused, as is a draft no one signed or one signed by a jurisdiction it omits.
            let owner = try await api.issueToken(role: "owner", agency: "bps")
            let before = try await api.stateFingerprint()
            let swapped = try TestStates(["ID", "SG", "MY", "EE", "FI", "LU"])
            let unsigned = try SignedCharter(draft: try api.states.charter.content())
            var stranger = try TestStates(["ID"]).charter
            stranger.signatures["SG"] = stranger.signatures["ID"]
            for (token, body, status, code) in [
                (api.adminToken, try swapped.charterText, 409, "charter_established"),
                (api.adminToken, try unsigned.text, 422, "charter_unsigned"),
                (api.adminToken, try stranger.text, 422, "charter_unknown_signer"),
                (api.adminToken, #"{"charter":"bm90","signatures":{}}"#, 422, "charter_malformed"),
                (api.adminToken, "[1,2", 400, "malformed_json"),
                (owner, try api.states.charterText, 403, "forbidden"),
            ] {
                let reply = try await api.send(.put, "/v1/alliance/charter", token: token, json: body)
                #expect(reply.status == status && reply.errorCode == code, "\(code): \(reply.errorMessage ?? "")")
            }
            #expect(try await api.stateFingerprint() == before)
            #expect(try await api.store.allianceCharter() == (try api.states.charterText))
        }
    }

    @Test("a member certified by keys the charter does not pin is refused, whatever token carries it")
    func foreignStates() async throws {
        try await APIHarness.run(.sqlite) { api in
            let dataset = try await api.register("census").dataset.id
            try await api.addObject("obj-0123456789abcdef0123", of: dataset)
            // Another "Indonesia" with its own authority key certifies a bps member.
            let impostor = try TestStates(["ID"]).member("bps", of: "ID")
            let forged = try impostor.unwrapBody(
                UnwrapRequest(
                    datasetID: dataset, objectID: "obj-0123456789abcdef0123", jurisdiction: try JurisdictionCode("ID"),
                    justification: .ownerAccess),
                requesterKey: P256.KeyAgreement.PrivateKey().publicKey.x963Representation.base64EncodedString())
            let owner = try await api.issueToken(role: "owner", agency: "bps")
            for token in [api.adminToken, owner] {
                let reply = try await api.send(
                    .post, "/v1/datasets/\(dataset)/objects/obj-0123456789abcdef0123/unwrap", token: token, json: forged
                )
                #expect(
                    reply.status == 403 && reply.errorCode == "state_signature_invalid", "\(reply.errorMessage ?? "")")
            }
            #expect(try await api.store.auditEntries(after: 0, limit: 1000).allSatisfy { !$0.action.hasPrefix("key.") })
        }
    }
}
