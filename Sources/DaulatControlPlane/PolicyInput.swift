import DaulatCore

/// A residency policy as clients send it: every field optional, jurisdictions as lists.
struct PolicyInput: Codable, Sendable, Equatable {
    var storage: [JurisdictionCode]?
    var keys: [JurisdictionCode]?
    var processing: [JurisdictionCode]?
    var replicas: Int?
    var minDistinctSites: Int?
    var homeReplicaRequired: Bool?
    var dataEmbassyAllowed: Bool?
    var keySplit: KeySplit?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case storage, keys, processing, replicas, minDistinctSites, homeReplicaRequired, dataEmbassyAllowed, keySplit
    }

    init(from decoder: any Decoder) throws {
        try StrictObject.check(decoder, allowed: CodingKeys.allCases.map(\.rawValue))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        storage = try container.decodeIfPresent([JurisdictionCode].self, forKey: .storage)
        keys = try container.decodeIfPresent([JurisdictionCode].self, forKey: .keys)
        processing = try container.decodeIfPresent([JurisdictionCode].self, forKey: .processing)
        replicas = try container.decodeIfPresent(Int.self, forKey: .replicas)
        minDistinctSites = try container.decodeIfPresent(Int.self, forKey: .minDistinctSites)
        homeReplicaRequired = try container.decodeIfPresent(Bool.self, forKey: .homeReplicaRequired)
        dataEmbassyAllowed = try container.decodeIfPresent(Bool.self, forKey: .dataEmbassyAllowed)
        keySplit = try container.decodeIfPresent(Strict<KeySplit>.self, forKey: .keySplit)?.value
    }

    var policy: ResidencyPolicy {
        ResidencyPolicy(
            storage: storage.map(Set.init),
            keys: keys.map(Set.init),
            processing: processing.map(Set.init),
            replicas: replicas,
            minDistinctSites: minDistinctSites,
            homeReplicaRequired: homeReplicaRequired,
            dataEmbassyAllowed: dataEmbassyAllowed,
            keySplit: keySplit
        )
    }
}
