import Crypto
import DaulatAgent
import DaulatCore
import DaulatPKI
import DaulatTestSupport
import Foundation
import Testing

extension Attacks {
    /// One custodian host (or whoever holds its certificate) reports an identity key that is not one, or
    /// swaps in a key of its own. Junk is refused and changes nothing; a new key is kept only as what the
    /// custodian says, in the audit log, and binds nothing: the record its state signed still pins the
    /// key it signed in, and clients give keys only to that one.
    @Suite("Attack: a custodian reports junk or another identity key")
    struct CustodianIdentityKeyAttackTests {
        @Test(
            "a key that is not Ed25519 is refused with identity_key_invalid; a swapped key is audited and leaves the signed record as it was",
            arguments: StoreKind.allCases)
        func reportedKeys(kind: StoreKind) async throws {
            try await AttackScene.run(kind) { scene in
                let api = scene.api
                let process = try await scene.startCustodian("id-custodian-1")
                func custodian() async throws -> Custodian {
                    try #require(try await api.store.custodians().first { $0.id == "id-custodian-1" })
                }
                func pinnedInRecord() async throws -> String? {
                    let text = try #require(try await api.store.jurisdictionRecords()[try JurisdictionCode("ID")])
                    return JurisdictionRecordSignatures.claimed(text)?.custodianKeys["id-custodian-1"]
                }
                let signedIn = try #require(try await custodian().identityKey)
                #expect(try await pinnedInRecord() == signedIn)
                let url = try #require(
                    try await api.store.custodianHeartbeats().first { $0.custodianID == "id-custodian-1" }?.url)
                // From here on only the attacker speaks with the custodian's certificate.
                process.stop()
                let credentials = try #require(
                    try AgentCredentials.load(from: scene.directory.appendingPathComponent("id-custodian-1")))
                let connection = try AgentConnection(
                    credentials: credentials, listenerURL: await scene.agentListenerURL())
                defer { Task { await connection.shutdown() } }
                let thirtyOneBytes = Data(repeating: 7, count: 31).base64EncodedString()
                for junk in ["", "not a key", thirtyOneBytes, String(repeating: "A", count: 10_000)] {
                    do {
                        _ = try await connection.post(
                            "/custodian/v1/heartbeat", CustodianMessages.Heartbeat(url: url, identityKey: junk),
                            as: CustodianMessages.HeartbeatReply.self)
                        Issue.record("\(junk.prefix(20)): accepted")
                    } catch let error as AgentError {
                        #expect(error.code == "identity_key_invalid" && error.status == 400, "\(error)")
                    }
                }
                #expect(try await custodian().identityKey == signedIn, "junk changed nothing")

                let swapped = StateSigningKey.generate().publicKey.description
                _ = try await connection.post(
                    "/custodian/v1/heartbeat", CustodianMessages.Heartbeat(url: url, identityKey: swapped),
                    as: CustodianMessages.HeartbeatReply.self)
                #expect(try await custodian().identityKey == swapped)
                let reported = try await api.store.auditEntries(after: 0, limit: 10_000).filter {
                    $0.action == "custodian.identity_key_reported" && $0.subjectID == "id-custodian-1"
                }
                #expect(reported.last?.after?.contains(swapped) == true, "the swap is in the audit log")
                #expect(try await pinnedInRecord() == signedIn, "the state's record still pins the key it signed in")
            }
        }
    }
}
