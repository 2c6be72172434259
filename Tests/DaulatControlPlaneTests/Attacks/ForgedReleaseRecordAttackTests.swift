import Crypto
import DaulatAgent
import DaulatCore
import DaulatPKI
import DaulatTestSupport
import Foundation
import Testing

extension Attacks {
    /// One custodian host, with its own enrolled key, tries to fill the audit log with releases that
    /// never happened — to blame the operator for decisions it never signed (an "unlogged" release in a
    /// state's report), or to break the appends honest custodians wait on.
    @Suite("Attack: a custodian invents release records")
    struct ForgedReleaseRecordAttackTests {
        @Test(
            "records with a decision the control plane never signed, for another custodian, for an object it holds no key of, or junk are refused and logged nowhere",
            arguments: StoreKind.allCases)
        func inventedReleases(kind: StoreKind) async throws {
            try await AttackScene.run(kind) { scene in
                let api = scene.api
                let census = try await scene.indonesianCensus()
                let credentials = try #require(
                    try AgentCredentials.load(from: scene.directory.appendingPathComponent("id-custodian-1")))
                let connection = try AgentConnection(
                    credentials: credentials, listenerURL: await scene.agentListenerURL())
                defer { Task { await connection.shutdown() } }
                let objectID = "obj-" + Hex.encode(Data((0..<10).map { _ in UInt8.random(in: 0...255) }))
                let request = UnwrapRequest(
                    datasetID: census.id, objectID: objectID, jurisdiction: try JurisdictionCode("ID"),
                    justification: .ownerAccess)
                // A decision signed by a CA of the custodian's own making.
                let rogue = try CertificateAuthority.create(trustDomain: "alliance.test")
                let now = CanonicalJSON.rounded(Date())
                let forgedDecision = try SignedDocument.sign(
                    UnwrapDecision(
                        id: "ud-invented", request: request, requester: "nobody", keyID: "dk-x",
                        keyJurisdictions: [try JurisdictionCode("ID")], requesterKey: "", issuedAt: now,
                        expiresAt: now.addingTimeInterval(60), consent: "", memberCertificate: nil, ownerAgency: "bps",
                        home: try JurisdictionCode("ID"), classification: "restricted"),
                    purpose: UnwrapDecision.signaturePurpose, with: rogue)
                func record(custodian: String = "id-custodian-1", request: UnwrapRequest = request, decision: String)
                    throws -> SignedKeyRelease
                {
                    try KeyReleaseSignature.sign(
                        KeyReleaseRecord(
                            custodianID: custodian, decisionID: "ud-invented", request: request,
                            datasetHome: try JurisdictionCode("ID"), keyID: "dk-x", consentedBy: "ASEAN/GOV/ID-BPS",
                            releasedAt: now, decision: decision),
                        with: credentials.privateKey, certificate: credentials.certificatePEM)
                }
                var junk = request
                junk.objectID = "obj-\u{0}" + String(repeating: "x", count: 300)
                let attempts: [(String, SignedKeyRelease, String)] = [
                    ("forged decision", try record(decision: forgedDecision), "release_decision_invalid"),
                    ("no decision", try record(decision: ""), "release_decision_invalid"),
                    (
                        "another custodian", try record(custodian: "sg-custodian-1", decision: forgedDecision),
                        "forbidden"
                    ),
                    ("junk object id", try record(request: junk, decision: forgedDecision), "release_decision_invalid"),
                ]
                for (name, signed, code) in attempts {
                    do {
                        _ = try await connection.post(
                            "/custodian/v1/releases", signed, as: CustodianMessages.ReleaseReceipt.self)
                        Issue.record("\(name): accepted")
                    } catch let error as AgentError {
                        #expect(error.code == code && (400..<500).contains(error.status ?? 0), "\(name): \(error)")
                    }
                }
                // A record whose signature is not its certificate's key.
                var tampered = try record(decision: forgedDecision)
                tampered.record.keyID = "dk-y"
                do {
                    _ = try await connection.post(
                        "/custodian/v1/releases", tampered, as: CustodianMessages.ReleaseReceipt.self)
                    Issue.record("tampered: accepted")
                } catch let error as AgentError {
                    #expect(error.code == "release_signature_invalid", "\(error)")
                }
                #expect(
                    try await api.store.auditEntries(after: 0, limit: 10_000).allSatisfy { $0.action != "key.released" }
                )
            }
        }
    }
}
