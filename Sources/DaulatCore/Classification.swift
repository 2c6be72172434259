/// An ordered sensitivity level with the default residency rules that every dataset of that level starts
/// from. A dataset's own policy may only narrow these.
public struct Classification: Hashable, Sendable, Codable {
    /// Stable name, e.g. `restricted`.
    public var name: String
    /// Higher is more sensitive; used to order levels and nothing else.
    public var rank: Int
    /// Where ciphertext may be stored.
    public var storage: JurisdictionScope
    /// Where key-encryption keys may be held.
    public var keys: JurisdictionScope
    /// Where plaintext may be processed.
    public var processing: JurisdictionScope
    /// Whether a dataset of this level may opt into a data-embassy copy (ciphertext abroad at an embassy
    /// site of its home state, under an agreement; keys stay at home).
    public var dataEmbassyPermitted: Bool
    public var defaultReplicas: Int
    public var defaultMinDistinctSites: Int
    /// When true a dataset of this level must keep a copy at home, and its policy cannot turn that off.
    public var homeReplicaRequired: Bool

    public init(
        name: String,
        rank: Int,
        storage: JurisdictionScope,
        keys: JurisdictionScope,
        processing: JurisdictionScope,
        dataEmbassyPermitted: Bool,
        defaultReplicas: Int,
        defaultMinDistinctSites: Int,
        homeReplicaRequired: Bool
    ) {
        self.name = name
        self.rank = rank
        self.storage = storage
        self.keys = keys
        self.processing = processing
        self.dataEmbassyPermitted = dataEmbassyPermitted
        self.defaultReplicas = defaultReplicas
        self.defaultMinDistinctSites = defaultMinDistinctSites
        self.homeReplicaRequired = homeReplicaRequired
    }

    public func scope(for use: JurisdictionUse) -> JurisdictionScope {
        switch use {
        case .storage: storage
        case .keys: keys
        case .processing: processing
        }
    }

    /// Checks the name and that the default replica rules are ones a policy could hold. A minimum of
    /// distinct sites above the replica count is allowed: evaluation caps it at the replicas in force.
    public func validate() throws(DomainError) {
        try Identifier.validate(name, what: "classification")
        guard (1...ResidencyPolicy.maximumReplicas).contains(defaultReplicas), defaultMinDistinctSites >= 1 else {
            throw DomainError(
                .replicasOutOfRange,
                "classification '\(name)': defaultReplicas must be 1-\(ResidencyPolicy.maximumReplicas) and defaultMinDistinctSites at least 1 (got \(defaultReplicas) and \(defaultMinDistinctSites))"
            )
        }
    }
}
