import DaulatCore

extension DaulatStore {
    /// Adds to the draft agreements `ids` the signatures of their parties whose authority keys are in
    /// `keys`: what a ceremony in which those states sign together does, as `daulat dev` plays every state
    /// of its example alliance. Agreements suspended or terminated since are left as they are.
    public func signDraftAgreements(
        _ ids: Set<String>, by keys: [JurisdictionCode: StateSigningKey], under charter: AllianceCharter,
        actor: String
    ) async throws {
        for draft in try await agreements() where ids.contains(draft.id) && draft.status == .draft && draft.acts.isEmpty
        {
            try await updateAgreement(id: draft.id, actor: actor) { agreement in
                var signed = agreement
                for party in agreement.unsignedParties {
                    guard let key = keys[party] else { continue }
                    signed.signatures[party.rawValue] = try AgreementSignatures.sign(agreement.terms, with: key)
                }
                signed.status = AgreementSignatures.standing(of: signed, under: charter).status
                return (
                    signed,
                    signed.status == agreement.status ? "agreement.signed" : "agreement.\(signed.status.rawValue)"
                )
            }
        }
    }
}
