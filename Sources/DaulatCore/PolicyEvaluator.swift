import Foundation

/// Resolves residency policies against the alliance's rules and its agreements at a given time.
public struct PolicyEvaluator: Sendable {
    public var alliance: Alliance
    public var agreements: [Agreement]

    public init(alliance: Alliance, agreements: [Agreement]) {
        self.alliance = alliance
        self.agreements = agreements
    }

    /// Checks a policy before it is accepted: known jurisdictions, no widening of the classification's
    /// defaults, and numbers that make sense together.
    public func validate(policy: ResidencyPolicy, home: JurisdictionCode, classification name: String)
        throws(DomainError)
    {
        try alliance.requireJurisdiction(home)
        let classification = try alliance.requireClassification(name)
        for use in JurisdictionUse.allCases {
            guard let restriction = policy.restriction(for: use) else { continue }
            guard !restriction.isEmpty else {
                throw DomainError(.inconsistentPolicy, "the \(use.rawValue) set must name at least one jurisdiction")
            }
            let reachable = reachable(from: home, scope: classification.scope(for: use))
            for code in restriction.sorted() {
                try alliance.requireJurisdiction(code)
                guard reachable.contains(code) else {
                    throw DomainError(
                        .policyContradictsClassification,
                        "classification '\(name)' never allows \(use.rawValue) in \(code) for a dataset at home in \(home) (its rule is '\(classification.scope(for: use).rawValue)')"
                    )
                }
            }
        }
        if policy.homeReplicaRequired == false && classification.homeReplicaRequired {
            throw DomainError(
                .policyContradictsClassification,
                "classification '\(name)' requires a replica in the home jurisdiction; a policy cannot turn that off"
            )
        }
        let homeRequired = policy.homeReplicaRequired ?? classification.homeReplicaRequired
        if homeRequired, let storage = policy.storage, !storage.contains(home) {
            throw DomainError(
                .inconsistentPolicy,
                "a home replica is required but the storage set leaves out the home jurisdiction \(home)"
            )
        }
        if policy.dataEmbassyAllowed == true && !classification.dataEmbassyPermitted {
            throw DomainError(
                .policyContradictsClassification,
                "classification '\(name)' does not permit data-embassy copies"
            )
        }
        let replicas = policy.replicas ?? classification.defaultReplicas
        guard (1...ResidencyPolicy.maximumReplicas).contains(replicas) else {
            throw DomainError(
                .replicasOutOfRange,
                "replicas must be between 1 and \(ResidencyPolicy.maximumReplicas), got \(replicas)"
            )
        }
        let minSites = policy.minDistinctSites ?? min(classification.defaultMinDistinctSites, replicas)
        guard (1...replicas).contains(minSites) else {
            throw DomainError(
                .inconsistentPolicy,
                "minDistinctSites must be between 1 and the replica count (\(replicas)), got \(minSites)"
            )
        }
        if let split = policy.keySplit {
            try split.validate()
            // Shares go to distinct jurisdictions, so there must be as many where keys could ever be held.
            let keyJurisdictions = reachable(from: home, scope: classification.keys)
                .intersection(policy.keys ?? Set(alliance.jurisdictionCodes))
            guard keyJurisdictions.count >= split.shares else {
                throw DomainError(
                    .inconsistentPolicy,
                    "keySplit asks for \(split.shares) shares in distinct jurisdictions, but keys of this dataset may be held in only \(keyJurisdictions.count) (\(keyJurisdictions.map(\.rawValue).sorted().joined(separator: ", ")))"
                )
            }
        }
    }

    /// The verdicts for `dataset` at `time`. The dataset is assumed valid (see ``validate(policy:home:classification:)``).
    public func evaluate(_ dataset: Dataset, at time: Date) throws(DomainError) -> EvaluatedPolicy {
        let classification = try alliance.requireClassification(dataset.classification)
        let embassyAllowed = classification.dataEmbassyPermitted && dataset.policy.dataEmbassyAllowed == true
        func verdicts(for use: JurisdictionUse) -> [JurisdictionVerdict] {
            alliance.jurisdictionCodes.map { code in
                var verdict = defaultVerdict(
                    for: code, use: use, dataset: dataset, classification: classification, at: time)
                if verdict.allowed, let restriction = dataset.policy.restriction(for: use), !restriction.contains(code)
                {
                    verdict = JurisdictionVerdict(
                        jurisdiction: code,
                        allowed: false,
                        reason: VerdictReason(
                            .excludedByDatasetPolicy,
                            detail: "the dataset's own \(use.rawValue) set leaves out \(code)"
                        )
                    )
                }
                if use == .storage, !verdict.allowed, embassyAllowed, code != dataset.home,
                    let embassy = agreement(
                        home: dataset.home, other: code, classification: classification.name, purpose: .dataEmbassy,
                        inForceAt: time)
                {
                    verdict = JurisdictionVerdict(
                        jurisdiction: code,
                        allowed: true,
                        embassyOnly: true,
                        reason: VerdictReason(
                            .dataEmbassyAgreement,
                            agreementID: embassy.id,
                            detail:
                                "data-embassy sites of \(dataset.home) in \(code) only, under agreement '\(embassy.id)'"
                        )
                    )
                }
                return verdict
            }
        }
        let replicas = dataset.policy.replicas ?? classification.defaultReplicas
        return EvaluatedPolicy(
            datasetID: dataset.id,
            home: dataset.home,
            classification: classification.name,
            evaluatedAt: time,
            storage: verdicts(for: .storage),
            keys: verdicts(for: .keys),
            processing: verdicts(for: .processing),
            replicas: replicas,
            minDistinctSites: dataset.policy.minDistinctSites ?? min(classification.defaultMinDistinctSites, replicas),
            homeReplicaRequired: dataset.policy.homeReplicaRequired ?? classification.homeReplicaRequired,
            dataEmbassyAllowed: embassyAllowed,
            keySplit: dataset.policy.keySplit
        )
    }

    /// The first instant after `time` at which an agreement starts or ends, so evaluations can be redone
    /// then without anyone calling the API.
    public func nextChange(after time: Date) -> Date? {
        agreements.filter { $0.status == .inForce }
            .flatMap { [$0.from, $0.until].compactMap(\.self) }
            .filter { $0 > time }
            .min()
    }

    /// Every jurisdiction a scope could ever admit for a dataset at `home`, whatever agreements say.
    private func reachable(from home: JurisdictionCode, scope: JurisdictionScope) -> Set<JurisdictionCode> {
        switch scope {
        case .alliance, .homeAndAgreements: Set(alliance.jurisdictionCodes)
        case .homeGroups: groupNeighbours(of: home).union([home])
        case .home: [home]
        }
    }

    private func groupNeighbours(of home: JurisdictionCode) -> Set<JurisdictionCode> {
        var result = Set<JurisdictionCode>()
        for group in alliance.groups(containing: home) {
            result.formUnion((try? alliance.members(ofGroup: group)) ?? [])
        }
        return result
    }

    private func agreement(
        home: JurisdictionCode,
        other: JurisdictionCode,
        classification: String,
        purpose: AgreementPurpose,
        inForceAt time: Date
    ) -> Agreement? {
        agreements.filter { $0.covers(home: home, other: other, classification: classification, purpose: purpose) }
            .sorted { $0.id < $1.id }
            .first { $0.isInForce(at: time) }
    }

    private func defaultVerdict(
        for code: JurisdictionCode,
        use: JurisdictionUse,
        dataset: Dataset,
        classification: Classification,
        at time: Date
    ) -> JurisdictionVerdict {
        let scope = classification.scope(for: use)
        if code == dataset.home {
            return JurisdictionVerdict(
                jurisdiction: code,
                allowed: true,
                reason: VerdictReason(.home, detail: "\(code) is the dataset's home jurisdiction")
            )
        }
        switch scope {
        case .alliance:
            return JurisdictionVerdict(
                jurisdiction: code,
                allowed: true,
                reason: VerdictReason(
                    .classificationAllowsAlliance,
                    detail: "classification '\(classification.name)' allows \(use.rawValue) anywhere in the alliance"
                )
            )
        case .homeGroups:
            if let group = alliance.groups(containing: dataset.home).first(where: {
                (try? alliance.members(ofGroup: $0).contains(code)) ?? false
            }) {
                return JurisdictionVerdict(
                    jurisdiction: code,
                    allowed: true,
                    reason: VerdictReason(
                        .sharedGroup,
                        group: group,
                        detail: "\(code) is in group '\(group)' with the home \(dataset.home)"
                    )
                )
            }
            return JurisdictionVerdict(
                jurisdiction: code,
                allowed: false,
                reason: VerdictReason(
                    .outsideClassificationScope,
                    detail:
                        "classification '\(classification.name)' keeps \(use.rawValue) within the groups of \(dataset.home); \(code) shares none"
                )
            )
        case .homeAndAgreements:
            let covering = agreements.filter {
                $0.covers(
                    home: dataset.home, other: code, classification: classification.name, purpose: use.admittingPurpose)
            }.sorted { $0.id < $1.id }
            if let inForce = covering.first(where: { $0.isInForce(at: time) }) {
                return JurisdictionVerdict(
                    jurisdiction: code,
                    allowed: true,
                    reason: VerdictReason(
                        .agreementInForce,
                        agreementID: inForce.id,
                        detail:
                            "agreement '\(inForce.id)' between \(dataset.home) and \(code) is in force and covers '\(classification.name)' for \(use.admittingPurpose.rawValue)"
                    )
                )
            }
            if let lapsed = covering.first {
                return JurisdictionVerdict(
                    jurisdiction: code,
                    allowed: false,
                    reason: VerdictReason(
                        .agreementNotInForce,
                        agreementID: lapsed.id,
                        detail:
                            "agreement '\(lapsed.id)' would cover \(code) but is not in force at this time (status \(lapsed.status.rawValue))"
                    )
                )
            }
            return JurisdictionVerdict(
                jurisdiction: code,
                allowed: false,
                reason: VerdictReason(
                    .noAgreement,
                    detail:
                        "no agreement between \(dataset.home) and \(code) covers '\(classification.name)' for \(use.admittingPurpose.rawValue)"
                )
            )
        case .home:
            return JurisdictionVerdict(
                jurisdiction: code,
                allowed: false,
                reason: VerdictReason(
                    .outsideClassificationScope,
                    detail: "classification '\(classification.name)' keeps \(use.rawValue) in the home jurisdiction"
                )
            )
        }
    }
}
