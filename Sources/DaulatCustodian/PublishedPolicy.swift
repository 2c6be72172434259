import DaulatCore
import DaulatPKI
import Foundation
import Synchronization

/// The rules a custodian releases under: the latest bundle the control plane sent with a heartbeat,
/// each agreement counted only as its parties' signatures under this custodian's own charter make it.
/// Until the first bundle arrives nothing is released.
public final class PublishedPolicy: Sendable {
    let charter: AllianceCharter
    private let latest = Mutex<SignedPolicy?>(nil)

    public init(charter: AllianceCharter) { self.charter = charter }

    public func update(_ bundle: PolicyBundle) {
        let policy = SignedPolicy(bundle, charter: charter)
        latest.withLock { $0 = policy }
    }

    /// Refuses a release the signed rules do not allow: processing where the decision says, and keys
    /// held in this custodian's jurisdiction, for a dataset of the decision's home and classification.
    func check(_ decision: UnwrapDecision, custodianIn jurisdiction: JurisdictionCode, at time: Date) throws {
        guard let policy = latest.withLock({ $0 }) else {
            throw CustodianRequestError(
                .serviceUnavailable, code: "policy_unknown",
                "this custodian has not received the alliance's rules from the control plane yet; ask again shortly")
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
