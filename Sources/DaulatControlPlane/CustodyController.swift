import Crypto
import DaulatCore
import DaulatPKI
import Foundation
import Hummingbird
import Metrics

/// Key custody on the public API: operators add custodians; data owners learn to whom a new object's
/// key is wrapped, and ask for the signed decision that lets custodians release it. Every unwrap
/// request, allowed or refused, goes to the audit log with its justification before it is answered.
struct CustodyController<Store: DaulatStore>: Sendable {
    let store: Store
    let placements: PlacementService<Store>
    let certificates: AgentCertificates<Store>
    let charter: EstablishedCharter<Store>
    let clock: @Sendable () -> Date

    /// How long a grant or a decision is good for: long enough for a client's round of requests,
    /// short enough that a narrowed policy takes effect at once.
    static var grantLifetime: TimeInterval { 300 }
    static var decisionLifetime: TimeInterval { 120 }
    static var longestReference: Int { 200 }

    func addRoutes(to group: RouterGroup<ControlPlaneContext>) {
        group.get("custodians") { _, context in
            _ = try context.requireOperator()
            let heartbeats = Dictionary(
                try await store.custodianHeartbeats().map { ($0.custodianID, $0) },
                uniquingKeysWith: { first, _ in first })
            let entries = try await store.custodians().map { custodian in
                CustodianList.Entry(
                    id: custodian.id, jurisdiction: custodian.jurisdiction, url: heartbeats[custodian.id]?.url,
                    lastHeartbeat: heartbeats[custodian.id]?.at, identityKey: custodian.identityKey)
            }
            return try JSONResponse.make(CustodianList(custodians: entries))
        }
        group.post("custodians") { request, context in
            let caller = try context.requireOperator()
            let body = try await RequestBody.decode(Strict<CreateCustodianRequest>.self, from: request).value
            let custodian = Custodian(id: body.id, jurisdiction: body.jurisdiction)
            try custodian.validate(in: try await store.alliance())
            try await APIError.creating("custodian '\(custodian.id)'") {
                try await store.addCustodian(custodian, actor: caller.auditActor)
            }
            return try JSONResponse.make(custodian, status: .created)
        }
        group.post("custodians/:id/rotate") { request, context in
            let caller = try context.requireOperator()
            let custodianID = try context.parameters.require("id")
            let body = try await RequestBody.decode(Strict<RotateKeyRequest>.self, from: request).value
            let dataset = try await store.dataset(id: body.datasetID, visibleTo: caller)
            let task = CustodyTask(
                id: Identifier.random(prefix: "ct-", length: 20), custodianID: custodianID, datasetID: dataset.id,
                kind: .rotate, requestedBy: caller.auditActor, requestedAt: CanonicalJSON.rounded(clock()))
            try await store.requestRotation(task, actor: caller.auditActor)
            return try JSONResponse.make(task, status: .created)
        }
        group.get("custodians/:id/tasks") { _, context in
            _ = try context.requireOperator()
            let custodianID = try context.parameters.require("id")
            guard try await store.custodians().contains(where: { $0.id == custodianID }) else {
                throw APIError.notFound("custodian", custodianID)
            }
            return try JSONResponse.make(
                CustodyTaskList(tasks: try await store.custodyTasks(custodianID: custodianID, openOnly: false)))
        }
        group.get("datasets/:id/custody") { _, context in
            let caller = try context.caller()
            let dataset = try await store.dataset(id: try context.parameters.require("id"), visibleTo: caller)
            guard caller.canChange(dataset) else { throw APIError.forbidden("regulator tokens are read-only") }
            try await store.refuseIfShredded(dataset.id)
            return try JSONResponse.make(try await plan(for: dataset))
        }
        group.post("datasets/:id/objects/:objectId/unwrap") { request, context in
            let caller = try context.caller()
            let dataset = try await store.dataset(id: try context.parameters.require("id"), visibleTo: caller)
            guard caller.canChange(dataset) else {
                throw APIError.forbidden("only the owning agency or an operator reads objects")
            }
            let objectID = try context.parameters.require("objectId")
            guard let object = try await store.object(id: objectID), object.datasetID == dataset.id else {
                throw APIError.notFound("object", objectID)
            }
            try await store.refuseIfShredded(dataset.id)
            let body = try await RequestBody.decode(Strict<UnwrapRequestBody>.self, from: request).value
            let consent = try await verifiedConsent(body, for: object, of: dataset)
            // It goes into the audit log for good: an order's number, not a document.
            guard (consent.request.reference?.count ?? 0) <= Self.longestReference else {
                throw APIError.invalidField("'reference' may be at most \(Self.longestReference) characters")
            }
            return try JSONResponse.make(
                try await decide(
                    consent, signed: body.consent ?? "", certificate: body.memberCertificate, of: dataset,
                    caller: caller))
        }
    }

    /// The owner state's consent in `body`, checked against the charter before anything is decided:
    /// a token alone, the operator's included, never stands in for it.
    private func verifiedConsent(_ body: UnwrapRequestBody, for object: StoredObject, of dataset: Dataset)
        async throws -> UnwrapConsent
    {
        guard let signed = body.consent else {
            throw APIError(
                .forbidden, code: "owner_consent_required",
                message:
                    "an unwrap needs the consent of \(dataset.home.rawValue)'s agency '\(dataset.ownerAgency)' signed with its member key (daulat dataset get --member-key, --member-certificate), or for an order \(dataset.home.rawValue)'s authority's signature; no token is enough"
            )
        }
        guard let charter = try await charter.current() else {
            throw APIError(
                .conflict, code: "charter_not_established",
                message:
                    "no alliance charter is established, so no consent can be checked (daulat alliance charter establish FILE)"
            )
        }
        let consent: UnwrapConsent
        do {
            consent = try ConsentVerifier(charter: charter).verify(
                signed, certificate: body.memberCertificate, ownerAgency: dataset.ownerAgency, home: dataset.home,
                at: clock())
        } catch {
            throw APIError(.forbidden, code: error.code, message: error.description)
        }
        guard consent.request.datasetID == dataset.id, consent.request.objectID == object.id else {
            throw APIError(
                .forbidden, code: "consent_mismatch",
                message:
                    "the consent is for object \(consent.request.objectID) of dataset \(consent.request.datasetID), not \(object.id) of \(dataset.id)"
            )
        }
        guard let keyBytes = Data(base64Encoded: consent.requesterKey),
            (try? P256.KeyAgreement.PublicKey(x963Representation: keyBytes)) != nil
        else {
            throw APIError.invalidField("the consent's 'requesterKey' must be a P-256 public key, X9.63, in base64")
        }
        return consent
    }

    /// The live custodians a new key goes to, one per jurisdiction where the dataset's keys may be held
    /// now: every such jurisdiction for a whole key; for a split one, as many as it has shares, home
    /// first. A grant names them.
    private func plan(for dataset: Dataset) async throws -> CustodyPlan {
        let now = CanonicalJSON.rounded(clock())
        let policy = try await placements.snapshot().evaluator.evaluate(dataset, at: now)
        let holders = try await CustodianLiveness(store: store).holders(at: now)
        var chosen: [CustodyPlan.Holder] = []
        var missing: [String] = []
        let allowed = policy.allowed(.keys)
        let jurisdictions = [dataset.home].filter(allowed.contains) + allowed.subtracting([dataset.home]).sorted()
        for jurisdiction in jurisdictions {
            if let holder = holders.first(where: { $0.jurisdiction == jurisdiction }) {
                chosen.append(holder)
            } else {
                missing.append(jurisdiction.rawValue)
            }
        }
        let needed = policy.keySplit?.shares ?? 1
        guard chosen.count >= needed else {
            let down = missing.isEmpty ? "" : "; none reporting in \(missing.joined(separator: ", "))"
            throw APIError(
                .serviceUnavailable, code: "no_custodian_available",
                message:
                    "keys of '\(dataset.id)' need custodians reporting in \(needed) jurisdictions where they may be held, \(chosen.count) are\(down); try again shortly"
            )
        }
        if let split = policy.keySplit { chosen = Array(chosen.prefix(split.shares)) }
        let authority = try certificates.authority()
        let grant = KeyGrant(
            datasetID: dataset.id, custodianIDs: chosen.map(\.custodianID), issuedAt: now,
            expiresAt: now.addingTimeInterval(Self.grantLifetime))
        return CustodyPlan(
            datasetID: dataset.id, threshold: policy.keySplit?.threshold ?? 1, custodians: chosen,
            grant: try SignedDocument.sign(grant, purpose: KeyGrant.signaturePurpose, with: authority),
            caCertificate: try authority.certificatePEM)
    }

    /// Applies the custody rule and signs a decision if it allows the unwrap; the outcome is audited
    /// either way, an allowed one only once the decision is made, so the log never shows one not issued.
    private func decide(
        _ consent: UnwrapConsent, signed: String, certificate: String?, of dataset: Dataset, caller: APIToken
    ) async throws -> KeyRelease {
        let unwrap = consent.request
        let now = CanonicalJSON.rounded(clock())
        let policy = try await placements.snapshot().evaluator.evaluate(dataset, at: now)
        let quarantined = try await !store.evacuations(EvacuationQuery(objectID: unwrap.objectID, openOnly: true))
            .filter { $0.quarantinedSince != nil }.isEmpty
        if let refusal = CustodyRule.refusal(
            of: unwrap, policy: policy, quarantined: quarantined,
            disasterRecoveryDeclared: try await store.disasterRecoveryActivations(datasetID: dataset.id).contains {
                $0.isInForce(at: now)
            })
        {
            try await store.recordKeyUse(
                KeyUse(
                    request: unwrap, datasetHome: dataset.home, requester: caller.auditActor,
                    consentedBy: consent.signer, refusalCode: refusal.code.rawValue,
                    refusal: refusal.message),
                at: now, actor: caller.auditActor)
            Self.countUnwrap(unwrap, outcome: "refused")
            throw APIError(.forbidden, code: refusal.code.rawValue, message: refusal.message)
        }
        let keys = try await store.objectKeys(objectID: unwrap.objectID)
        guard let first = keys.first else {
            throw APIError(
                .conflict, code: "object_has_no_keys", message: "object '\(unwrap.objectID)' has no wrapped keys")
        }
        let authority = try certificates.authority()
        let decision = UnwrapDecision(
            id: Identifier.random(prefix: "ud-", length: 24), request: unwrap, requester: caller.auditActor,
            keyID: first.keyID, keyJurisdictions: policy.allowed(.keys).sorted(), requesterKey: consent.requesterKey,
            issuedAt: now, expiresAt: min(consent.expiresAt, now.addingTimeInterval(Self.decisionLifetime)),
            consent: signed, memberCertificate: certificate, ownerAgency: dataset.ownerAgency,
            home: dataset.home, classification: dataset.classification)
        let signed = try SignedDocument.sign(decision, purpose: UnwrapDecision.signaturePurpose, with: authority)
        let holders = Dictionary(
            try await CustodianLiveness(store: store).holders(at: now).map { ($0.custodianID, $0) },
            uniquingKeysWith: { first, _ in first })
        let release = KeyRelease(
            decision: signed, threshold: first.threshold, keys: keys,
            custodians: keys.compactMap { holders[$0.custodianID] }, caCertificate: try authority.certificatePEM)
        try await store.recordKeyUse(
            KeyUse(
                request: unwrap, datasetHome: dataset.home, requester: caller.auditActor, consentedBy: consent.signer,
                decisionID: decision.id),
            at: now,
            actor: caller.auditActor)
        Self.countUnwrap(unwrap, outcome: "allowed")
        return release
    }

    /// `daulat_key_unwraps_total{justification, outcome}`: every decision, once it is in the audit log.
    private static func countUnwrap(_ unwrap: UnwrapRequest, outcome: String) {
        Counter(
            label: "daulat_key_unwraps_total",
            dimensions: [("justification", unwrap.justification.rawValue), ("outcome", outcome)]
        ).increment()
    }
}
