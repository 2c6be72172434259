import DaulatCore
import Foundation

/// A ``PolicyBundle`` as a host that trusts only the states' signatures reads it: each agreement's
/// status is what its parties' signatures and acts make it under the charter this host pinned, so an
/// agreement the operator marked in force without every party's signature admits nothing here, and
/// where a host or a custodian stands is what its state's signed record says.
public struct SignedPolicy: Sendable {
    public let agreements: [Agreement]
    public let ground: RecordedGround
    let evaluator: PolicyEvaluator

    public init(_ bundle: PolicyBundle, charter: AllianceCharter) {
        agreements = bundle.agreements.map { agreement in
            var checked = agreement
            checked.status = AgreementSignatures.standing(of: agreement, under: charter).status
            return checked
        }
        evaluator = PolicyEvaluator(alliance: bundle.alliance, agreements: agreements)
        ground = JurisdictionRecordSignatures.ground(bundle.records, under: charter)
    }

    /// Whether `use` in `jurisdiction` is allowed at `time` for a dataset at `home` of `classification`,
    /// and why: the classification's rule and the agreements in force by their signatures. It is a
    /// ceiling: a dataset's own policy may narrow it, never widen it.
    public func verdict(
        _ use: JurisdictionUse, in jurisdiction: JurisdictionCode, home: JurisdictionCode, classification: String,
        at time: Date
    ) throws(DomainError) -> JurisdictionVerdict {
        let dataset = Dataset(
            id: "ceiling", name: "ceiling", ownerAgency: "-", home: home, classification: classification,
            policy: ResidencyPolicy(dataEmbassyAllowed: true), createdAt: time, updatedAt: time)
        let evaluated = try evaluator.evaluate(dataset, at: time)
        let verdicts =
            switch use {
            case .storage: evaluated.storage
            case .keys: evaluated.keys
            case .processing: evaluated.processing
            }
        guard let verdict = verdicts.first(where: { $0.jurisdiction == jurisdiction }) else {
            throw DomainError(.unknownJurisdiction, "jurisdiction \(jurisdiction) is not a member of the alliance")
        }
        return verdict
    }
}
