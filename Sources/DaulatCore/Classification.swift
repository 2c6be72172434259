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
    /// How long a copy that becomes disallowed (an agreement lapses, a policy narrows, a site is
    /// drained) may stay where it is before its evacuation counts as late.
    public var evacuationDeadlineSeconds: Int

    /// A day: long enough to copy terabytes between member states, short enough to matter.
    public static let defaultEvacuationDeadlineSeconds = 86_400
    /// A year; any longer and the deadline would promise nothing.
    public static let longestEvacuationDeadlineSeconds = 31_536_000

    public init(
        name: String,
        rank: Int,
        storage: JurisdictionScope,
        keys: JurisdictionScope,
        processing: JurisdictionScope,
        dataEmbassyPermitted: Bool,
        defaultReplicas: Int,
        defaultMinDistinctSites: Int,
        homeReplicaRequired: Bool,
        evacuationDeadlineSeconds: Int = Classification.defaultEvacuationDeadlineSeconds
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
        self.evacuationDeadlineSeconds = evacuationDeadlineSeconds
    }

    enum CodingKeys: String, CodingKey {
        case name, rank, storage, keys, processing, dataEmbassyPermitted, defaultReplicas, defaultMinDistinctSites
        case homeReplicaRequired, evacuationDeadlineSeconds
    }

    /// Classifications written before deadlines existed take the default.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        rank = try container.decode(Int.self, forKey: .rank)
        storage = try container.decode(JurisdictionScope.self, forKey: .storage)
        keys = try container.decode(JurisdictionScope.self, forKey: .keys)
        processing = try container.decode(JurisdictionScope.self, forKey: .processing)
        dataEmbassyPermitted = try container.decode(Bool.self, forKey: .dataEmbassyPermitted)
        defaultReplicas = try container.decode(Int.self, forKey: .defaultReplicas)
        defaultMinDistinctSites = try container.decode(Int.self, forKey: .defaultMinDistinctSites)
        homeReplicaRequired = try container.decode(Bool.self, forKey: .homeReplicaRequired)
        evacuationDeadlineSeconds =
            try container.decodeIfPresent(Int.self, forKey: .evacuationDeadlineSeconds)
            ?? Self.defaultEvacuationDeadlineSeconds
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
        guard (1...Self.longestEvacuationDeadlineSeconds).contains(evacuationDeadlineSeconds) else {
            throw DomainError(
                .invalidEvacuationDeadline,
                "classification '\(name)': evacuationDeadlineSeconds must be 1-\(Self.longestEvacuationDeadlineSeconds) (got \(evacuationDeadlineSeconds))"
            )
        }
    }
}
