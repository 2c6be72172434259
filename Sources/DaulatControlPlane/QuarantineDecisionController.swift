import DaulatCore
import DaulatPKI
import Foundation
import Hummingbird

/// `POST /v1/evacuations/{id}/decision`: what happens to a quarantined copy, which has nowhere allowed
/// to go, is its dataset's home state's decision, signed by that state's authority: keep it until a
/// date, or destroy it once a copy that stays exists. An operator or that state's regulator hands the
/// decision in; neither can make one.
struct QuarantineDecisionController<Store: DaulatStore>: Sendable {
    let store: Store
    let charter: EstablishedCharter<Store>
    let changes: AssignmentChanges
    let clock: @Sendable () -> Date

    /// How far a decision's time may be from the control plane's clock: a fresh decision, not one kept
    /// for later.
    static var freshness: TimeInterval { 600 }

    func addRoutes(to group: RouterGroup<ControlPlaneContext>) {
        group.post("evacuations/:id/decision") { request, context in
            let id = try context.parameters.require("id")
            _ = try context.requireRelay(for: nil)
            let text = try await RequestBody.decode(Strict<QuarantineDecisionRequest>.self, from: request).value
                .decision
            guard let evacuation = try await store.evacuation(id: id) else { throw APIError.notFound("evacuation", id) }
            let caller = try context.requireRelay(for: evacuation.home)
            let decision = try Self.verified(text, about: evacuation, under: try await charter.required())
            guard evacuation.isOpen, evacuation.state == .quarantined else {
                throw APIError(
                    .conflict, code: "evacuation_not_quarantined",
                    message:
                        "evacuation '\(id)' is \(evacuation.state.rawValue): only a quarantined copy awaits its home state's decision"
                )
            }
            let now = clock()
            guard abs(decision.issuedAt.timeIntervalSince(now)) <= Self.freshness,
                evacuation.decision.map({ decision.issuedAt > $0.issuedAt }) ?? true
            else {
                throw APIError(
                    .conflict, code: "quarantine_decision_stale",
                    message:
                        "the decision is dated \(CanonicalJSON.format(decision.issuedAt)): it must be signed within \(Int(Self.freshness / 60)) minutes of being handed in and after the copy's last decision"
                )
            }
            let decided = evacuation.decided(decision, signed: text)
            guard
                try await store.recordEvacuation(
                    EvacuationChange(decided, .decided, at: CanonicalJSON.rounded(now)), actor: caller.auditActor)
            else {
                throw APIError(.conflict, code: "evacuation_not_quarantined", message: "evacuation '\(id)' has ended")
            }
            // A copy to destroy may now be released: agents waiting for their sets hear of it.
            changes.signal()
            return try JSONResponse.make(decided)
        }
    }

    /// The decision in `text`, if the authority of `evacuation`'s home state signed it about that copy.
    private static func verified(_ text: String, about evacuation: Evacuation, under charter: AllianceCharter)
        throws -> QuarantineDecision
    {
        guard let key = charter.key(of: evacuation.home) else {
            throw APIError(
                .unprocessableContent, code: "quarantine_decision_signature_invalid",
                message: "the charter pins no key for \(evacuation.home), whose dataset this is")
        }
        let decision: QuarantineDecision
        do {
            decision = try StateSignedDocument.verify(
                text, as: QuarantineDecision.self, purpose: QuarantineDecision.signaturePurpose, key: key)
        } catch .malformed {
            throw APIError(
                .unprocessableContent, code: "quarantine_decision_malformed",
                message: "the decision is not base64url(canonical JSON).base64url(signature) of a quarantine decision")
        } catch {
            throw APIError(
                .unprocessableContent, code: "quarantine_decision_signature_invalid",
                message: "the decision is not signed by the authority of \(evacuation.home), whose dataset this is")
        }
        guard decision.isAbout(evacuation) else {
            throw APIError(
                .unprocessableContent, code: "quarantine_decision_mismatch",
                message:
                    "the decision is about evacuation '\(decision.evacuationID)' (object \(decision.objectID) on \(decision.hostID)), not this one"
            )
        }
        try decision.validate()
        return decision
    }
}
