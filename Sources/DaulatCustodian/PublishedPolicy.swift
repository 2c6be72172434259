import DaulatAgent
import DaulatCore
import DaulatPKI
import Foundation

/// The rules a custodian releases under: the bundles the control plane sends with its heartbeats,
/// never rolled back (``PinnedPolicy``), each agreement counted only as its parties' signatures under
/// this custodian's own charter make it, and where the custodian keeps keys only as its state's signed
/// record says. Until the first bundle arrives nothing is released.
public final class PublishedPolicy: Sendable {
    public let rules: PinnedPolicy
    var charter: AllianceCharter { rules.charter }

    public init(rules: PinnedPolicy) { self.rules = rules }

    /// Takes the rules a heartbeat brought; returns a line for each thing kept back that they would
    /// have rolled back.
    @discardableResult
    public func update(_ bundle: PolicyBundle) throws -> [String] {
        try rules.accept(bundle)
    }

    /// Refuses a release the signed rules do not allow: processing where the decision says, and keys
    /// held in this custodian's jurisdiction, for a dataset of the decision's home and classification;
    /// and any release at all unless that jurisdiction's signed record lists custodian `id` in it.
    func check(
        _ decision: UnwrapDecision, custodian id: String, in jurisdiction: JurisdictionCode, at time: Date
    ) throws {
        guard let policy = rules.current else {
            throw CustodianRequestError(
                .serviceUnavailable, code: "policy_unknown",
                "this custodian has not received the alliance's rules from the control plane yet; ask again shortly")
        }
        // The certificate says where the custodian is; only the state's own signature makes that so.
        guard policy.ground.keepsKeys(custodian: id, in: jurisdiction) else {
            throw CustodianError.notRecorded(custodian: id, jurisdiction: jurisdiction)
        }
        for (use, place) in [(JurisdictionUse.processing, decision.request.jurisdiction), (.keys, jurisdiction)] {
            let verdict: JurisdictionVerdict
            do {
                verdict = try policy.verdict(
                    use, in: place, home: decision.home, classification: decision.classification, at: time)
            } catch {
                throw CustodianError.notAllowedBySignedRules(error.message)
            }
            guard verdict.allowed else {
                throw CustodianError.notAllowedBySignedRules("\(use.rawValue) in \(place): \(verdict.reason.detail)")
            }
        }
    }
}
