import DaulatCore
import Foundation

/// A ``PolicyBundle`` as a host that trusts only the states' signatures reads it: each agreement's
/// status is what its parties' signatures and acts make it under the charter this host pinned, so an
/// agreement the operator marked in force without every party's signature admits nothing here, a
/// classification or a group counts only as every state signed it, and where a host or a custodian
/// stands is what its state's signed record says.
public struct SignedPolicy: Sendable {
    public let agreements: [Agreement]
    public let ground: RecordedGround
    /// The alliance's rules in force by every state's signature; nil while there are none.
    public let rules: AllianceRules?
    let evaluator: PolicyEvaluator

    public init(_ bundle: PolicyBundle, charter: AllianceCharter) {
        agreements = bundle.agreements.map { agreement in
            var checked = agreement
            checked.status = AgreementSignatures.standing(of: agreement, under: charter).status
            return checked
        }
        // The classifications and groups every state signed, over the states the charter lists; none
        // signed, none known, and nothing is allowed anywhere.
        let signed = bundle.rules.flatMap { AllianceRulesSignatures.binds($0, under: charter) ? $0.rules : nil }
        let chartered = Alliance(
            jurisdictions: bundle.alliance.jurisdictions.filter { charter.key(of: $0.code) != nil },
            groups: [], classifications: [])
        rules = signed
        evaluator = PolicyEvaluator(
            alliance: signed?.applied(to: chartered) ?? chartered, agreements: agreements)
        ground = JurisdictionRecordSignatures.ground(bundle.records, under: charter)
    }

    /// Whether `use` in `jurisdiction` is allowed at `time` for a dataset at `home` of `classification`,
    /// and why: the classification's rule and the agreements in force by their signatures. It is a
    /// ceiling: a dataset's own policy may narrow it, never widen it.
    public func verdict(
        _ use: JurisdictionUse, in jurisdiction: JurisdictionCode, home: JurisdictionCode, classification: String,
        at time: Date
    ) throws(DomainError) -> JurisdictionVerdict {
        guard let rules else {
            throw DomainError(
                .unknownClassification, "no version of the alliance's rules has been signed by every state yet")
        }
        guard rules.classifications.contains(where: { $0.name == classification }) else {
            throw DomainError(
                .unknownClassification,
                "classification '\(classification)' is not in the alliance's rules every state signed (version \(rules.version))"
            )
        }
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
