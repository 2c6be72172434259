import DaulatCore
import DaulatPKI
import Foundation
import Hummingbird

/// `/v1/alliance/rules`: the alliance's classifications and groups as every state signed them. The
/// operator changes its rule base (`POST /v1/classifications`, `/v1/groups`); the change binds agents
/// and custodians only once every state of the charter has signed the new version, handed in by an
/// operator or by the state's own regulator.
struct AllianceRulesController<Store: DaulatStore>: Sendable {
    let store: Store
    let reconciler: PlacementReconciler<Store>
    let charter: EstablishedCharter<Store>
    let clock: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<ControlPlaneContext>) {
        group.get("alliance/rules") { _, _ in
            try JSONResponse.make(try await view(under: try await charter.current()))
        }
        group.post("alliance/rules/signatures") { request, context in
            _ = try context.requireRelay(for: nil)
            let body = try await RequestBody.decode(Strict<AllianceRulesSignatureRequest>.self, from: request).value
            let caller = try context.requireRelay(for: body.jurisdiction)
            let charter = try await self.charter.required()
            let inForce = try await store.allianceRulesInForce()
            let draft = AllianceRules.draft(of: try await store.alliance(), version: (inForce?.rules.version ?? 0) + 1)
            if let inForce, inForce.rules.sameRules(as: draft) {
                throw APIError(
                    .conflict, code: "alliance_rules_current",
                    message:
                        "version \(inForce.rules.version), signed by every state, holds the rules as they are: nothing to sign"
                )
            }
            guard body.version == draft.version else {
                throw APIError(
                    .conflict, code: "alliance_rules_stale",
                    message: "the rules to sign now are version \(draft.version), not \(body.version)")
            }
            guard let key = charter.key(of: body.jurisdiction) else {
                throw APIError(
                    .unprocessableContent, code: "unknown_signer",
                    message: "the alliance charter pins no authority key for \(body.jurisdiction)")
            }
            guard AllianceRulesSignatures.isValid(body.signature, over: draft, by: key) else {
                throw APIError(
                    .unprocessableContent, code: "alliance_rules_signature_invalid",
                    message:
                        "the signature does not verify with \(body.jurisdiction)'s authority key over version \(draft.version) as it stands; fetch the draft again"
                )
            }
            _ = try await store.updateAllianceRules(
                version: draft.version, at: CanonicalJSON.rounded(clock()), actor: caller.auditActor
            ) { stored in
                // Signatures over another draft of this version (the rule base changed since) lapse.
                var signed = stored.flatMap { $0.rules == draft ? $0 : nil } ?? SignedAllianceRules(rules: draft)
                signed.signatures[body.jurisdiction.rawValue] = body.signature
                let binds = AllianceRulesSignatures.binds(signed, under: charter)
                return (signed, binds, binds ? "alliance.rules_in_force" : "alliance.rules_signed")
            }
            reconciler.requestRecompute()
            return try JSONResponse.make(try await view(under: charter))
        }
    }

    private func view(under charter: AllianceCharter?) async throws -> AllianceRulesView {
        let inForce = try await store.allianceRulesInForce()
        let draft = AllianceRules.draft(of: try await store.alliance(), version: (inForce?.rules.version ?? 0) + 1)
        let pending = try await store.latestAllianceRules().flatMap { $0.rules == draft ? $0 : nil }
        let signatures = pending?.signatures ?? [:]
        let current = inForce.map { $0.rules.sameRules(as: draft) } ?? false
        let unsigned =
            current
            ? []
            : charter.map {
                AllianceRulesSignatures.unsigned(SignedAllianceRules(rules: draft, signatures: signatures), under: $0)
            } ?? []
        return AllianceRulesView(
            inForce: inForce, draft: draft, signatures: signatures, unsigned: unsigned, current: current)
    }
}
