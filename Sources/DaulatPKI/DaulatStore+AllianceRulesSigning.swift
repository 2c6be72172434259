import DaulatCore
import Foundation

extension DaulatStore {
    /// Has every state whose authority key is in `keys` sign the rules the operator's rule base holds
    /// now, where they differ from the rules in force: what `daulat alliance rules sign` does for one
    /// state, as `daulat dev` plays every state of its example alliance.
    public func signAllianceRules(
        by keys: [JurisdictionCode: StateSigningKey], under charter: AllianceCharter, at time: Date, actor: String
    ) async throws {
        let inForce = try await allianceRulesInForce()
        let draft = AllianceRules.draft(of: try await alliance(), version: (inForce?.rules.version ?? 0) + 1)
        if let inForce, inForce.rules.sameRules(as: draft) { return }
        _ = try await updateAllianceRules(version: draft.version, at: time, actor: actor) { stored in
            var signed = stored.flatMap { $0.rules == draft ? $0 : nil } ?? SignedAllianceRules(rules: draft)
            for (state, key) in keys {
                signed.signatures[state.rawValue] = try AllianceRulesSignatures.sign(draft, with: key)
            }
            let binds = AllianceRulesSignatures.binds(signed, under: charter)
            return (signed, binds, binds ? "alliance.rules_in_force" : "alliance.rules_signed")
        }
    }
}
