import Crypto
import DaulatControlPlane
import DaulatCore
import DaulatCrypto
import DaulatPKI
import DaulatTestSupport
import Foundation
import Testing

extension Attacks {
    /// The operator — its tokens, its database, its certificate authority's key — tries to read an
    /// agency's data alone, against a real custodian process holding the key: no consent, a decision it
    /// signs itself with the CA key and a consent it forges, another agency's consent. Only the owning
    /// agency's signed consent opens the key; a release on a decision the log never recorded is flagged
    /// in the owner state's report.
    @Suite("The operator cannot read an agency's data alone")
    struct OperatorUnwrapAttackTests {
        @Test(
            "an operator token gets owner_consent_required; a CA-signed decision with a forged or foreign consent gets no key",
            arguments: StoreKind.allCases)
        func operatorAlone(kind: StoreKind) async throws {
            try await AttackScene.run(kind) { scene in
                let api = scene.api
                let census = try await scene.indonesianCensus()
                try await scene.startAgent(census.placed[0])
                let object = try await scene.custodiedObject(dataset: census.id, owner: census.owner)
                let (objectID, dataKey, authority, custodianURL) = (
                    object.objectID, object.dataKey, object.authority, object.custodianURL
                )
                let unwrapPath = "/v1/datasets/\(census.id)/objects/\(objectID)/unwrap"

                // 1. The operator's token, with no consent, or with the body unwraps once had.
                let bare = try await api.admin(.post, unwrapPath, json: "{}")
                #expect(bare.status == 403 && bare.errorCode == "owner_consent_required", "\(bare.errorMessage ?? "")")
                let requesterKey = P256.KeyAgreement.PrivateKey()
                let publicKey = requesterKey.publicKey.x963Representation.base64EncodedString()
                let old = try await api.admin(
                    .post, unwrapPath,
                    json: #"{"jurisdiction":"ID","justification":"owner-access","requesterKey":"\#(publicKey)"}"#)
                #expect(old.status == 400 && old.errorCode == "unknown_field")

                // 2. Another agency of Indonesia signs a consent with its own (real) certificate.
                let request = UnwrapRequest(
                    datasetID: census.id, objectID: objectID, jurisdiction: try JurisdictionCode("ID"),
                    justification: .ownerAccess)
                let dukcapil = try api.states.member("dukcapil", of: "ID")
                let foreign = try await api.admin(
                    .post, unwrapPath, json: try dukcapil.unwrapBody(request, requesterKey: publicKey))
                #expect(
                    foreign.status == 403 && foreign.errorCode == "consent_not_owner", "\(foreign.errorMessage ?? "")")

                // 3. The operator signs a decision itself with the control plane's CA key, which it
                // holds, and shows it to the custodian with a consent it forged (its own key and a
                // certificate it made), with dukcapil's real consent, and with none.
                let key = try #require(try await api.store.objectKeys(objectID: objectID).first)
                let operatorKey = StateSigningKey.generate()
                let forgedCertificate = try MemberCertificate(
                    member: try MemberID("ASEAN/GOV/ID-BPS"), jurisdiction: try JurisdictionCode("ID"), agency: "bps",
                    publicKey: operatorKey.publicKey, issuedAt: Date().addingTimeInterval(-60),
                    notAfter: Date().addingTimeInterval(3_600)
                ).signed(with: operatorKey)
                let forgedConsent = try UnwrapConsent.forTest(
                    request, requesterKey: publicKey, member: try MemberID("ASEAN/GOV/ID-BPS")
                ).signed(with: operatorKey)
                let dukcapilConsent =
                    try JSONSerialization.jsonObject(
                        with: Data(try dukcapil.unwrapBody(request, requesterKey: publicKey).utf8)) as? [String: String]
                for (name, consent, certificate, code) in [
                    ("forged", forgedConsent, forgedCertificate as String?, "state_signature_invalid"),
                    (
                        "dukcapil", dukcapilConsent?["consent"] ?? "", dukcapilConsent?["memberCertificate"],
                        "consent_not_owner"
                    ),
                    ("none", "", nil, "consent_malformed"),
                ] {
                    let now = CanonicalJSON.rounded(Date())
                    let decision = UnwrapDecision(
                        id: "ud-operator-\(name)", request: request, requester: "operator", keyID: key.keyID,
                        keyJurisdictions: [try JurisdictionCode("ID")], requesterKey: publicKey, issuedAt: now,
                        expiresAt: now.addingTimeInterval(60), consent: consent, memberCertificate: certificate,
                        ownerAgency: "bps", home: try JurisdictionCode("ID"), classification: "restricted")
                    let answer = try await Self.post(
                        CustodianMessages.ShareRequest(
                            decision: try SignedDocument.sign(
                                decision, purpose: UnwrapDecision.signaturePurpose, with: authority),
                            objectID: objectID, key: key),
                        to: custodianURL + "/v1/unwrap", trusting: try authority.certificatePEM)
                    #expect(answer.status == 403 && answer.body.contains(code), "\(name): \(answer.body)")
                }
                #expect(try await Self.allowed(api) == 0, "no attempt above was allowed")

                // The owner's own consent, through the same control plane and custodian, opens it.
                let owner = try api.states.member("bps", of: "ID")
                let release = try await api.send(
                    .post, unwrapPath, token: census.owner, json: try owner.unwrapBody(request, requesterKey: publicKey)
                )
                #expect(release.status == 200, "\(release.errorMessage ?? "")")
                let answer = try await Self.post(
                    CustodianMessages.ShareRequest(
                        decision: try #require(release.json["decision"] as? String), objectID: objectID, key: key),
                    to: custodianURL + "/v1/unwrap", trusting: try authority.certificatePEM)
                #expect(answer.status == 200, "\(answer.body)")
                let share = try JSONDecoder().decode(CustodianMessages.Share.self, from: Data(answer.body.utf8))
                let opened = try KeyWrapping.unwrap(
                    WrappedKey(
                        recipientKeyID: share.recipientKeyID,
                        encapsulatedKey: try #require(Data(base64Encoded: share.encapsulatedKey)),
                        ciphertext: try #require(Data(base64Encoded: share.ciphertext))),
                    with: requesterKey, context: try WrapContext(objectID: objectID, keyID: "dk-census"))
                #expect(opened == dataKey, "the owner gets the very key it sealed with")

                // 4. The operator takes a consent the owner signed for its own read and makes the
                // decision itself, with the CA key, never logging it. The custodian releases (to the
                // owner's key, which the operator cannot open) — but only once its own signed record
                // of the release is in the log, and Indonesia's report flags it.
                let ownerConsent =
                    try JSONSerialization.jsonObject(
                        with: Data(try owner.unwrapBody(request, requesterKey: publicKey).utf8)) as? [String: String]
                let now = CanonicalJSON.rounded(Date())
                let unlogged = UnwrapDecision(
                    id: "ud-operator-unlogged", request: request, requester: "operator", keyID: key.keyID,
                    keyJurisdictions: [try JurisdictionCode("ID")], requesterKey: publicKey, issuedAt: now,
                    expiresAt: now.addingTimeInterval(60), consent: ownerConsent?["consent"] ?? "",
                    memberCertificate: ownerConsent?["memberCertificate"], ownerAgency: "bps",
                    home: try JurisdictionCode("ID"), classification: "restricted")
                let released = try await Self.post(
                    CustodianMessages.ShareRequest(
                        decision: try SignedDocument.sign(
                            unlogged, purpose: UnwrapDecision.signaturePurpose, with: authority),
                        objectID: objectID, key: key),
                    to: custodianURL + "/v1/unwrap", trusting: try authority.certificatePEM)
                #expect(released.status == 200, "\(released.body)")
                let regulator = try await api.issueToken(role: "regulator", jurisdiction: "ID")
                let report = try await api.send(.get, "/v1/reports/residency?jurisdiction=ID", token: regulator)
                let publicLogKey = try #require(
                    try await api.admin(.get, "/v1/audit/public-key").json["publicKey"] as? String)
                let verified = try ResidencyReportVerifier.verify(report.body, publicKey: publicLogKey).report
                #expect(verified.keyReleases == 2, "the owner's release and the unlogged one")
                #expect(
                    verified.unloggedReleases
                        == [
                            UnloggedRelease(
                                decisionID: "ud-operator-unlogged", custodianID: "id-custodian-1",
                                datasetID: census.id, objectID: objectID)
                        ])
                let page = try await api.send(
                    .get, "/v1/reports/residency?jurisdiction=ID&format=html", token: regulator)
                #expect(String(decoding: page.body, as: UTF8.self).contains("ud-operator-unlogged"))
                #expect(try await Self.allowed(api) == 1)
            }
        }

        static func allowed(_ api: APIHarness) async throws -> Int {
            try await api.store.auditEntries(after: 0, limit: 10_000).filter { $0.action == "key.unwrap_allowed" }.count
        }

        /// Posts `body` to a custodian, trusting the alliance's CA, as any client can.
        static func post(_ body: some Encodable, to url: String, trusting authority: String)
            async throws -> (status: Int, body: String)
        {
            try await TrustingClient.post(try JSONEncoder().encode(body), to: url, trusting: authority)
        }
    }
}
