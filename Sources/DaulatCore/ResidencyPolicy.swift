/// A dataset's own residency rules. Every field is optional: an absent field takes the classification's
/// default, a present one may only narrow it.
public struct ResidencyPolicy: Hashable, Sendable, Codable {
    /// The most replicas any policy may ask for; more cannot be justified by any topology an alliance runs.
    public static let maximumReplicas = 16

    public var storage: Set<JurisdictionCode>?
    public var keys: Set<JurisdictionCode>?
    public var processing: Set<JurisdictionCode>?
    public var replicas: Int?
    public var minDistinctSites: Int?
    public var homeReplicaRequired: Bool?
    public var dataEmbassyAllowed: Bool?
    /// Absent: each data key is wrapped whole to a custodian in every key jurisdiction, any one of which
    /// can release it.
    public var keySplit: KeySplit?

    public init(
        storage: Set<JurisdictionCode>? = nil,
        keys: Set<JurisdictionCode>? = nil,
        processing: Set<JurisdictionCode>? = nil,
        replicas: Int? = nil,
        minDistinctSites: Int? = nil,
        homeReplicaRequired: Bool? = nil,
        dataEmbassyAllowed: Bool? = nil,
        keySplit: KeySplit? = nil
    ) {
        self.storage = storage
        self.keys = keys
        self.processing = processing
        self.replicas = replicas
        self.minDistinctSites = minDistinctSites
        self.homeReplicaRequired = homeReplicaRequired
        self.dataEmbassyAllowed = dataEmbassyAllowed
        self.keySplit = keySplit
    }

    enum CodingKeys: String, CodingKey {
        case storage, keys, processing, replicas, minDistinctSites, homeReplicaRequired, dataEmbassyAllowed, keySplit
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(storage?.sorted(), forKey: .storage)
        try container.encodeIfPresent(keys?.sorted(), forKey: .keys)
        try container.encodeIfPresent(processing?.sorted(), forKey: .processing)
        try container.encodeIfPresent(replicas, forKey: .replicas)
        try container.encodeIfPresent(minDistinctSites, forKey: .minDistinctSites)
        try container.encodeIfPresent(homeReplicaRequired, forKey: .homeReplicaRequired)
        try container.encodeIfPresent(dataEmbassyAllowed, forKey: .dataEmbassyAllowed)
        try container.encodeIfPresent(keySplit, forKey: .keySplit)
    }

    public func restriction(for use: JurisdictionUse) -> Set<JurisdictionCode>? {
        switch use {
        case .storage: storage
        case .keys: keys
        case .processing: processing
        }
    }
}
