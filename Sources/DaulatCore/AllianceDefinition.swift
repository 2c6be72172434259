/// A whole alliance described at once (jurisdictions, groups, classifications, sites, hosts,
/// custodians and agreements), as `Config/` files carry it to seed a new control plane.
public struct AllianceDefinition: Sendable, Codable, Equatable {
    public var jurisdictions: [Jurisdiction]
    public var groups: [JurisdictionGroup]
    public var classifications: [Classification]
    public var sites: [Site]
    public var hosts: [StorageHost]
    /// Optional in a file: an alliance may add its custodians later, through the API.
    public var custodians: [Custodian]
    /// In a file, terms only (``AllianceDefinitionFile``). A status of `in_force` says the example's
    /// states mean to sign them: `daulat dev`, which plays every state, does; `alliance apply` and the
    /// seeder create drafts either way.
    public var agreements: [Agreement]

    public init(
        jurisdictions: [Jurisdiction],
        groups: [JurisdictionGroup],
        classifications: [Classification],
        sites: [Site],
        hosts: [StorageHost],
        custodians: [Custodian] = [],
        agreements: [Agreement]
    ) {
        self.jurisdictions = jurisdictions
        self.groups = groups
        self.classifications = classifications
        self.sites = sites
        self.hosts = hosts
        self.custodians = custodians
        self.agreements = agreements
    }

    private enum CodingKeys: String, CodingKey {
        case jurisdictions, groups, classifications, sites, hosts, custodians, agreements
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            jurisdictions: try container.decode([Jurisdiction].self, forKey: .jurisdictions),
            groups: try container.decode([JurisdictionGroup].self, forKey: .groups),
            classifications: try container.decode([Classification].self, forKey: .classifications),
            sites: try container.decode([Site].self, forKey: .sites),
            hosts: try container.decode([StorageHost].self, forKey: .hosts),
            custodians: try container.decodeIfPresent([Custodian].self, forKey: .custodians) ?? [],
            agreements: try container.decode([Agreement].self, forKey: .agreements)
        )
    }

    public var alliance: Alliance {
        Alliance(jurisdictions: jurisdictions, groups: groups, classifications: classifications)
    }

    public var topology: Topology { Topology(sites: sites, hosts: hosts) }

    /// Checks every part against the others, so a bad file is refused before anything is stored.
    public func validate() throws(DomainError) {
        let alliance = self.alliance
        try alliance.validate()
        for site in sites { try site.validate(in: alliance) }
        if Set(sites.map(\.id)).count != sites.count { throw DomainError(.duplicate, "a site id is listed twice") }
        for host in hosts { try host.validate(sites: sites) }
        if Set(hosts.map(\.id)).count != hosts.count { throw DomainError(.duplicate, "a host id is listed twice") }
        for custodian in custodians { try custodian.validate(in: alliance) }
        if Set(custodians.map(\.id)).count != custodians.count {
            throw DomainError(.duplicate, "a custodian id is listed twice")
        }
        for agreement in agreements { try agreement.validate(in: alliance) }
        if Set(agreements.map(\.id)).count != agreements.count {
            throw DomainError(.duplicate, "an agreement id is listed twice")
        }
    }
}
