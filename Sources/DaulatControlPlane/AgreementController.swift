import DaulatCore
import DaulatPKI
import Foundation
import Hummingbird

/// `/v1/agreements`: operators draft agreements and amendments to them; the parties' authorities bring
/// each version into force by signing its terms and suspend, resume or terminate it by signed acts,
/// which an operator or the party's own regulator hands in. The control plane checks every signature against the charter and
/// decides nothing itself. Every token reads them.
struct AgreementController<Store: DaulatStore>: Sendable {
    let store: Store
    let reconciler: PlacementReconciler<Store>
    let charter: EstablishedCharter<Store>
    let clock: @Sendable () -> Date

    /// How far an act's time may be from the control plane's clock: a fresh act, not one kept for later.
    static var actFreshness: TimeInterval { 600 }

    func addRoutes(to group: RouterGroup<ControlPlaneContext>) {
        group.get("agreements") { _, _ in try JSONResponse.make(["agreements": try await store.agreements()]) }
        group.get("agreements/:id") { _, context in
            let id = try context.parameters.require("id")
            guard let agreement = try await store.agreement(id: id) else { throw APIError.notFound("agreement", id) }
            return try JSONResponse.make(agreement)
        }
        group.post("agreements") { request, context in
            let caller = try context.requireOperator()
            let body = try await RequestBody.decode(Strict<CreateAgreementRequest>.self, from: request).value
            let agreement = Agreement(
                id: body.id, name: body.name, parties: body.parties, classifications: body.classifications,
                purposes: body.purposes, from: CanonicalJSON.rounded(body.from),
                until: body.until.map(CanonicalJSON.rounded),
                status: .draft
            )
            try agreement.validate(in: try await store.alliance())
            do {
                try await store.addAgreement(agreement, actor: caller.auditActor)
            } catch StoreError.conflict {
                throw APIError.conflict("agreement '\(agreement.id)' already exists")
            }
            return try JSONResponse.make(agreement, status: .created)
        }
        // The next version's terms, drafted by an operator as agreements are; they bind nothing until
        // every party signs them, and a new draft replaces one not yet signed by all.
        group.post("agreements/:id/amendments") { request, context in
            let id = try context.parameters.require("id")
            let caller = try context.requireOperator()
            let body = try await RequestBody.decode(Strict<AmendAgreementRequest>.self, from: request).value
            let alliance = try await store.alliance()
            let agreement = try await change(id, actor: caller.auditActor) { agreement in
                guard agreement.status != .terminated else {
                    throw APIError(
                        .conflict, code: "agreement_terminated",
                        message: "agreement '\(id)' was terminated by a party; it cannot be amended")
                }
                let amendment = agreement.amendment(
                    name: body.name ?? agreement.name,
                    classifications: body.classifications ?? agreement.classifications,
                    purposes: body.purposes ?? agreement.purposes,
                    from: body.from.map(CanonicalJSON.rounded) ?? agreement.from,
                    until: body.until.map(CanonicalJSON.rounded) ?? agreement.until)
                var amended = agreement
                amended.amendment = amendment
                try amended.amended.validate(in: alliance)
                return (amended, "agreement.amendment_drafted")
            }
            return try JSONResponse.make(agreement)
        }
        group.post("agreements/:id/signatures") { request, context in
            let id = try context.parameters.require("id")
            _ = try context.requireRelay(for: nil)
            let body = try await RequestBody.decode(Strict<AgreementSignatureRequest>.self, from: request).value
            let caller = try context.requireRelay(for: body.jurisdiction)
            let charter = try await self.charter.required()
            let agreement = try await change(id, actor: caller.auditActor) { agreement in
                guard agreement.parties.contains(body.jurisdiction) else {
                    throw Self.refusal(.notAParty(body.jurisdiction.rawValue))
                }
                guard let key = charter.key(of: body.jurisdiction) else {
                    throw Self.refusal(.notChartered(body.jurisdiction.rawValue))
                }
                // A signature over the proposed amendment counts for it; once every party signed it, its
                // terms replace the version in force, and the acts made on that version lapse with it.
                if let amendment = agreement.amendment,
                    AgreementSignatures.isValid(body.signature, over: amendment.terms, by: key)
                {
                    var signed = agreement
                    signed.amendment?.signatures[body.jurisdiction.rawValue] = body.signature
                    let proposed = signed.amended
                    guard
                        AgreementSignatures.signedByEveryParty(
                            proposed.terms, signatures: proposed.signatures, under: charter)
                    else { return (signed, "agreement.amendment_signed") }
                    var amended = proposed
                    amended.status = AgreementSignatures.standing(of: amended, under: charter).status
                    return (amended, "agreement.amended")
                }
                guard AgreementSignatures.isValid(body.signature, over: agreement.terms, by: key) else {
                    throw Self.refusal(.badSignature(body.jurisdiction.rawValue))
                }
                var signed = agreement
                signed.signatures[body.jurisdiction.rawValue] = body.signature
                signed.status = AgreementSignatures.standing(of: signed, under: charter).status
                let action =
                    signed.status == agreement.status ? "agreement.signed" : "agreement.\(signed.status.rawValue)"
                return (signed, action)
            }
            return try JSONResponse.make(agreement)
        }
        group.post("agreements/:id/acts") { request, context in
            let id = try context.parameters.require("id")
            _ = try context.requireRelay(for: nil)
            let text = try await RequestBody.decode(Strict<AgreementActRequest>.self, from: request).value.act
            let charter = try await self.charter.required()
            guard let current = try await store.agreement(id: id) else { throw APIError.notFound("agreement", id) }
            let claimed = try Self.verified(text, of: current, under: charter)
            let caller = try context.requireRelay(for: claimed.party)
            let now = clock()
            let agreement = try await change(id, actor: caller.auditActor) { agreement in
                let act = try Self.verified(text, of: agreement, under: charter)
                guard !agreement.acts.contains(text) else {
                    throw APIError(.conflict, code: "agreement_act_replayed", message: "this act was already made")
                }
                let latest = agreement.acts.compactMap {
                    try? AgreementSignatures.act($0, of: agreement, under: charter)
                }
                .map(\.at).max()
                guard abs(act.at.timeIntervalSince(now)) <= Self.actFreshness, latest.map({ act.at > $0 }) ?? true
                else {
                    throw APIError(
                        .conflict, code: "agreement_act_stale",
                        message:
                            "the act is dated \(CanonicalJSON.format(act.at)): an act must be signed within \(Int(Self.actFreshness / 60)) minutes of being handed in and after the agreement's last act"
                    )
                }
                let standing = AgreementSignatures.standing(of: agreement, under: charter)
                do throws(DomainError) {
                    _ = try standing.applying(act)
                } catch {
                    throw APIError(.conflict, code: "invalid_transition", message: error.message)
                }
                var changed = agreement
                changed.acts.append(text)
                changed.status = AgreementSignatures.standing(of: changed, under: charter).status
                return (changed, "agreement.\(act.action.pastParticiple)")
            }
            return try JSONResponse.make(agreement)
        }
    }

    /// Applies `change` to the stored agreement and re-plans what relied on it.
    private func change(
        _ id: String, actor: String,
        _ change: @escaping @Sendable (Agreement) throws -> (agreement: Agreement, action: String)
    ) async throws -> Agreement {
        let agreement: Agreement
        do {
            agreement = try await store.updateAgreement(id: id, actor: actor, change)
        } catch StoreError.notFound {
            throw APIError.notFound("agreement", id)
        }
        reconciler.requestRecompute()
        return agreement
    }

    private static func verified(_ text: String, of agreement: Agreement, under charter: AllianceCharter) throws
        -> AgreementAct
    {
        do {
            return try AgreementSignatures.act(text, of: agreement, under: charter)
        } catch {
            throw refusal(error)
        }
    }

    private static func refusal(_ error: AgreementSignatureError) -> APIError {
        APIError(.unprocessableContent, code: error.code, message: error.description)
    }
}
