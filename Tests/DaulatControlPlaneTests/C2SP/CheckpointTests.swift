import Crypto
import DaulatCore
import DaulatPKI
import DaulatTestSupport
import Foundation
import Testing

@Suite("The audit log's C2SP checkpoints and the states' witnesses' cosignatures")
struct CheckpointTests {
    /// The raw Ed25519 key inside a PKCS#8 PEM file's text (the last 32 bytes of its DER).
    static func rawKey(_ pem: String) throws -> Curve25519.Signing.PrivateKey {
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        let der = try #require(Data(base64Encoded: body))
        return try Curve25519.Signing.PrivateKey(rawRepresentation: der.suffix(32))
    }

    @Test(
        "a checkpoint verifies with an implementation written from the C2SP text; cosignatures made by it are kept and served",
        arguments: StoreKind.allCases)
    func independent(kind: StoreKind) async throws {
        try await APIHarness.run(kind) { api in
            _ = try await api.register("census")
            let head = try await api.admin(.post, "/v1/audit/tree-heads")
            #expect(head.status == 201)
            let size = try #require(head.json["size"] as? Int)
            let root = try #require(head.json["root"] as? String)
            let logKeyText = try #require(
                try await api.admin(.get, "/v1/audit/public-key").json["publicKey"] as? String)
            let logKey = try #require(Data(base64Encoded: logKeyText))
            let regulator = try await api.issueToken(role: "regulator", jurisdiction: "ID")
            // By size: the control plane may sign a newer head meanwhile (it does every ten seconds).
            let served = try await api.send(.get, "/v1/audit/checkpoint?size=\(size)", token: regulator)
            let latest = try await api.send(.get, "/v1/audit/checkpoint", token: regulator)
            #expect(
                latest.status == 200 && String(decoding: latest.body, as: UTF8.self).hasPrefix("alliance.test/audit\n"))
            #expect(served.status == 200)
            let note = String(decoding: served.body, as: UTF8.self)
            let (text, _) = try #require(IndependentNote.split(note))
            #expect(text == "alliance.test/audit\n\(size)\n\(root)\n")
            #expect(IndependentNote.verifyLog(note, name: "alliance.test/audit", publicKey: logKey))
            #expect(
                !IndependentNote.verifyLog(note, name: "alliance.test/audit", publicKey: Data(repeating: 7, count: 32)))

            // Indonesia's and Singapore's witnesses cosign it, as the spec says to.
            let time = UInt64(Date().timeIntervalSince1970)
            var cosigned = text + "\n"
            for code in ["ID", "SG"] {
                let key = try Self.rawKey(try api.states.witnesses[try JurisdictionCode(code)]!.pemRepresentation)
                cosigned += try IndependentNote.cosign(
                    text, name: try api.states.witnessName(code), key: key, time: time)
            }
            let posted = try await api.send(
                .post, "/v1/audit/checkpoint/cosignatures", token: regulator,
                json: try CanonicalJSON.encode(["checkpoint": cosigned]))
            #expect(posted.status == 200, "\(posted.errorMessage ?? "")")
            #expect(posted.json["accepted"] as? [String] == ["ID", "SG"])

            // Served with the checkpoint; both implementations agree on what they say.
            let witnessedNote = String(
                decoding: try await api.send(.get, "/v1/audit/checkpoint?size=\(size)", token: regulator).body,
                as: UTF8.self)
            for code in ["ID", "SG"] {
                let key = try #require(api.states.witnesses[try JurisdictionCode(code)])
                #expect(
                    IndependentNote.cosignatureTime(
                        witnessedNote, name: try api.states.witnessName(code),
                        publicKey: Data(base64Encoded: key.publicKey.description)!) == time)
            }
            let charter = try api.states.charter.verified()
            let checked = try WitnessedCheckpoint.verify(
                witnessedNote,
                logKey: try #require(NoteKey(name: "alliance.test/audit", type: NoteKey.ed25519, base64: logKeyText)),
                witnesses: charter.witnesses)
            #expect(checked.cosigners.keys.map(\.rawValue).sorted() == ["ID", "SG"])
            #expect(checked.checkpoint == Checkpoint(origin: "alliance.test/audit", size: Int64(size), root: root))
            let witnesses = try await api.send(.get, "/v1/audit/witnesses", token: regulator)
            #expect((witnesses.json["witnesses"] as? [[String: Any]])?.count == 2)
        }
    }

    @Test(
        "cosignatures of unknown keys, bad signatures, other roots, unsigned sizes, impossible times and junk change nothing"
    )
    func refusals() async throws {
        try await APIHarness.run(.sqlite) { api in
            let head = try await api.admin(.post, "/v1/audit/tree-heads")
            let size = try #require(head.json["size"] as? Int)
            let root = try #require(head.json["root"] as? String)
            let text = "alliance.test/audit\n\(size)\n\(root)\n"
            let witness = try Self.rawKey(try api.states.witnesses[try JurisdictionCode("ID")]!.pemRepresentation)
            let name = try api.states.witnessName("ID")
            let time = UInt64(Date().timeIntervalSince1970)
            let stranger = Curve25519.Signing.PrivateKey()
            var tampered = Array(try IndependentNote.cosign(text, name: name, key: witness, time: time).utf8)
            tampered[tampered.count - 6] =
                tampered[tampered.count - 6] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            let otherRoot = Data(repeating: 9, count: 32).base64EncodedString()
            let otherText = "alliance.test/audit\n\(size)\n\(otherRoot)\n"
            let largerText = "alliance.test/audit\n\(size + 1000)\n\(root)\n"
            let otherLog = "another.log/audit\n\(size)\n\(root)\n"
            for (note, status, code) in [
                (
                    text + "\n" + (try IndependentNote.cosign(text, name: name, key: stranger, time: time)), 422,
                    "cosignature_invalid"
                ),
                (text + "\n" + String(decoding: tampered, as: UTF8.self), 422, "cosignature_invalid"),
                (
                    otherText + "\n" + (try IndependentNote.cosign(otherText, name: name, key: witness, time: time)),
                    409, "checkpoint_conflict"
                ),
                (
                    largerText + "\n" + (try IndependentNote.cosign(largerText, name: name, key: witness, time: time)),
                    404, "checkpoint_unknown"
                ),
                (
                    otherLog + "\n" + (try IndependentNote.cosign(otherLog, name: name, key: witness, time: time)), 422,
                    "not_a_checkpoint"
                ),
                (
                    text + "\n" + (try IndependentNote.cosign(text, name: name, key: witness, time: UInt64(Int64.max))),
                    422, "cosignature_time_invalid"
                ),
                (
                    text + "\n" + (try IndependentNote.cosign(text, name: name, key: witness, time: time + 3_600)), 422,
                    "cosignature_time_invalid"
                ),
                (
                    text + "\n" + (try IndependentNote.cosign(text, name: name, key: witness, time: 1)), 422,
                    "cosignature_time_invalid"
                ),
                (text, 422, "note_malformed"),
                ("\u{0}\n\n— x AAAA\n", 422, "note_malformed"),
            ] {
                let reply = try await api.admin(
                    .post, "/v1/audit/checkpoint/cosignatures", json: try CanonicalJSON.encode(["checkpoint": note]))
                #expect(reply.status == status && reply.errorCode == code, "\(code): \(reply.errorMessage ?? "")")
            }
            for (body, status) in [(#"{"checkpoint":1}"#, 400), (#"{"note":"x"}"#, 400), ("[", 400)] {
                #expect(try await api.admin(.post, "/v1/audit/checkpoint/cosignatures", json: body).status == status)
            }
            #expect(try await api.store.cosignatures(size: Int64(size)).isEmpty)
            #expect(try await api.admin(.get, "/v1/audit/checkpoint?size=-1").errorCode == "invalid_parameter")
            #expect(try await api.admin(.get, "/v1/audit/checkpoint?size=999999").errorCode == "no_tree_head")
        }
    }
}
