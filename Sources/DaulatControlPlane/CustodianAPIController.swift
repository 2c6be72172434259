import DaulatCore
import DaulatPKI
import Foundation
import Hummingbird

/// `/custodian/v1` on the agent listener: what an enrolled custodian asks of the control plane. Its
/// heartbeat's reply carries its work (``CustodyTask``), signed; a rotation reads the custodian's
/// wrapped keys of a dataset, writes them back re-wrapped, retires the old versions, and reports done.
struct CustodianAPIController<Store: DaulatStore>: Sendable {
    let store: Store
    let certificates: AgentCertificates<Store>
    let clock: @Sendable () -> Date

    /// A release record names a decision this control plane's authority signed, for that very request,
    /// that lets a custodian of this one's jurisdiction release: a custodian can neither invent a
    /// release nor blame one on a decision no one made. (Checked without reading the store: every
    /// release waits on this.)
    private func checkReleased(_ record: KeyReleaseRecord, in jurisdiction: String, authority: CertificateAuthority)
        throws
    {
        let decision: UnwrapDecision
        do {
            decision = try SignedDocument.verify(
                record.decision, as: UnwrapDecision.self, purpose: UnwrapDecision.signaturePurpose,
                authority: authority.certificate)
        } catch {
            throw APIError(
                .unprocessableContent, code: "release_decision_invalid",
                message: "the release record's decision is not one this control plane signed")
        }
        guard decision.id == record.decisionID, decision.request == record.request, decision.home == record.datasetHome,
            decision.keyID == record.keyID
        else {
            throw APIError(
                .unprocessableContent, code: "release_decision_invalid",
                message: "the release record does not say what its decision says")
        }
        guard decision.keyJurisdictions.contains(where: { $0.rawValue == jurisdiction }) else {
            throw APIError(
                .unprocessableContent, code: "release_decision_invalid",
                message: "the decision lets no custodian of \(jurisdiction) release")
        }
    }

    /// Keys are read, and come back re-wrapped, in pages of at most this many.
    static var largestBatch: Int { 1_000 }

    func addRoutes(to group: RouterGroup<AgentRequestContext>) {
        group.post("heartbeat") { request, context in
            let custodian = try context.requireCustodian()
            let heartbeat = try await RequestBody.decode(Strict<CustodianMessages.Heartbeat>.self, from: request).value
            try ListenerURL.check(heartbeat.url, field: "url")
            guard (try? StateVerifyingKey(heartbeat.identityKey)) != nil else {
                throw APIError(
                    .badRequest, code: "identity_key_invalid",
                    message: "identityKey must be base64 of an Ed25519 public key (32 bytes)")
            }
            let now = CanonicalJSON.rounded(clock())
            try await store.recordCustodianIdentityKey(
                heartbeat.identityKey, custodianID: custodian.custodianID, at: now,
                actor: "custodian:\(custodian.custodianID)")
            try await store.recordCustodianHeartbeat(
                CustodianHeartbeat(custodianID: custodian.custodianID, at: now, url: heartbeat.url))
            let order = CustodyTaskOrder(
                custodianID: custodian.custodianID, issuedAt: now,
                tasks: try await store.custodyTasks(custodianID: custodian.custodianID, openOnly: true))
            return try JSONResponse.make(
                CustodianMessages.HeartbeatReply(
                    identity: custodian.uri, receivedAt: now,
                    tasks: try SignedDocument.sign(
                        order, purpose: CustodyTaskOrder.signaturePurpose, with: try certificates.authority()),
                    policy: PolicyBundle(
                        alliance: try await store.alliance(), agreements: try await store.agreements(),
                        records: try await store.orderedJurisdictionRecords(),
                        rules: try await store.allianceRulesInForce())
                ))
        }
        // Before a custodian hands a share over, its record of the release goes into the audit log.
        group.post("releases") { request, context in
            let custodian = try context.requireCustodian()
            let signed = try await RequestBody.decode(Strict<SignedKeyRelease>.self, from: request).value
            guard signed.record.custodianID == custodian.custodianID else {
                throw APIError.forbidden("a custodian records its own releases only")
            }
            let authority = try certificates.authority()
            if let refusal = KeyReleaseSignature.refusal(signed, authority: authority.certificate) {
                throw APIError(
                    .unprocessableContent, code: "release_signature_invalid", message: "the release record: \(refusal)")
            }
            try checkReleased(signed.record, in: custodian.jurisdiction, authority: authority)
            let sequence = try await store.recordKeyRelease(
                signed, at: CanonicalJSON.rounded(clock()), actor: "custodian:\(custodian.custodianID)")
            return try JSONResponse.make(CustodianMessages.ReleaseReceipt(sequence: sequence))
        }
        group.post("renew") { request, context in
            let custodian = try context.requireCustodian()
            let renewal = try await RequestBody.decode(Strict<AgentMessages.Renewal>.self, from: request).value
            return try JSONResponse.make(
                try await certificates.renew(renewal, identity: custodian, now: clock()))
        }
        group.get("tasks/:id/keys") { request, context in
            let (custodianID, task) = try await openTask(context, kind: .rotate)
            let after = request.uri.queryParameters.get("after")
            guard (after?.count ?? 0) <= 200 else { throw APIError.invalidParameter("'after' is an object id") }
            return try JSONResponse.make(
                CustodianMessages.HeldKeys(
                    keys: try await store.heldKeys(
                        custodianID: custodianID, datasetID: task.datasetID, after: after, limit: Self.largestBatch)))
        }
        group.post("tasks/:id/rewrapped") { request, context in
            let (custodianID, task) = try await openTask(context, kind: .rotate)
            let keys = try await RequestBody.decode(
                Strict<CustodianMessages.HeldKeys>.self, from: request, limit: 4 << 20
            ).value.keys
            guard keys.count <= Self.largestBatch else {
                throw APIError.invalidField("at most \(Self.largestBatch) keys at a time")
            }
            for held in keys {
                guard let version = KeyVersionID(held.key.recipientKeyID), version.custodianID == custodianID,
                    version.scope == task.datasetID
                else {
                    throw APIError.invalidField(
                        "'recipientKeyID' must name a key of custodian '\(custodianID)' for dataset '\(task.datasetID)'"
                    )
                }
            }
            try await store.replaceHeldKeys(
                keys, custodianID: custodianID, datasetID: task.datasetID, at: CanonicalJSON.rounded(clock()))
            return Response(status: .noContent)
        }
        group.post("tasks/:id/retire") { request, context in
            let (custodianID, task) = try await openTask(context, kind: .rotate)
            let retirement = try await RequestBody.decode(Strict<CustodianMessages.Retirement>.self, from: request)
                .value
            guard retirement.keepFrom >= 1 else { throw APIError.invalidField("'keepFrom' is a version, 1 or more") }
            try await store.retireKeyVersions(
                custodianID: custodianID, datasetID: task.datasetID, below: retirement.keepFrom,
                at: CanonicalJSON.rounded(clock()))
            return Response(status: .noContent)
        }
        group.post("tasks/:id/done") { request, context in
            let custodian = try context.requireCustodian()
            let done = try await RequestBody.decode(Strict<CustodianMessages.TaskDone>.self, from: request).value
            guard done.destroyedVersions.count <= 10_000, done.destroyedVersions.allSatisfy({ $0 >= 1 }) else {
                throw APIError.invalidField("'destroyedVersions' lists key versions, 1 or more")
            }
            var outcome = "destroyed " + (done.destroyedVersions.map { "v\($0)" }.joined(separator: ", "))
            if let current = done.currentVersion { outcome += "; in use v\(current)" }
            let task = try await store.finishCustodyTask(
                id: try context.parameters.require("id"), custodianID: custodian.custodianID, outcome: outcome,
                at: CanonicalJSON.rounded(clock()))
            return try JSONResponse.make(task)
        }
    }

    /// The calling custodian's open task named in the path, of `kind`.
    private func openTask(_ context: AgentRequestContext, kind: CustodyTask.Kind) async throws -> (
        custodianID: String, task: CustodyTask
    ) {
        let custodian = try context.requireCustodian()
        let id = try context.parameters.require("id")
        guard
            let task = try await store.custodyTasks(custodianID: custodian.custodianID, openOnly: true).first(where: {
                $0.id == id
            })
        else { throw APIError.notFound("open custody task", id) }
        guard task.kind == kind else {
            throw APIError(.conflict, code: "wrong_task_kind", message: "task '\(id)' is to \(task.kind.rawValue)")
        }
        return (custodian.custodianID, task)
    }
}

extension CustodianMessages.Heartbeat: StrictlyDecodable {
    static var fields: [String] { ["url", "identityKey"] }
}

extension CustodianMessages.HeldKeys: StrictlyDecodable {
    static var fields: [String] { ["keys"] }
}

extension CustodianMessages.Retirement: StrictlyDecodable {
    static var fields: [String] { ["keepFrom"] }
}

extension CustodianMessages.TaskDone: StrictlyDecodable {
    static var fields: [String] { ["destroyedVersions", "currentVersion"] }
}

extension SignedKeyRelease: StrictlyDecodable {
    static var fields: [String] { ["record", "signature", "certificate"] }
}
