import Foundation

/// What a state's authority signs about its own ground: the sites on its soil, the host standing in
/// each, the custodians that keep keys in it, and the data embassies it hosts for other states or runs
/// abroad. Agents and custodians take where they stand from these records, never from the control
/// plane's database alone, so an operator that moves a host to another state's site in its database
/// moves no data across a border (see ``RecordedGround``).
public struct JurisdictionRecord: Codable, Sendable, Equatable {
    public static let signaturePurpose = "jurisdiction-record"
    public static let highestVersion = 1_000_000_000

    public var jurisdiction: JurisdictionCode
    /// From 1; a state changes its record by signing a higher version, and a lower one never replaces it.
    public var version: Int
    /// Sites on this state's soil, sorted.
    public var sites: [String]
    /// Each host on this state's soil, and the site it stands in.
    public var hosts: [String: String]
    /// Custodians keeping keys in this state, sorted.
    public var custodians: [String]
    /// Of those custodians, the Ed25519 key (base64) each signs its dataset keys with: a client wraps a
    /// new object's key to a custodian only if its state pinned the key it signed with here, so a
    /// custodian the operator enrols in its place receives nothing.
    public var custodianKeys: [String: String]
    /// Of this state's sites, those it hosts as another state's data embassy, and whose. They count as
    /// embassies only if that state's own record lists them in ``embassiesAbroad`` too.
    public var embassiesHosted: [String: JurisdictionCode]
    /// Sites on other states' soil that this state runs as its data embassies, sorted.
    public var embassiesAbroad: [String]
    public var issuedAt: Date

    public init(
        jurisdiction: JurisdictionCode, version: Int, sites: [String], hosts: [String: String], custodians: [String],
        custodianKeys: [String: String] = [:], embassiesHosted: [String: JurisdictionCode], embassiesAbroad: [String],
        issuedAt: Date
    ) {
        self.jurisdiction = jurisdiction
        self.version = version
        self.sites = sites.sorted()
        self.hosts = hosts
        self.custodians = custodians.sorted()
        self.custodianKeys = custodianKeys
        self.embassiesHosted = embassiesHosted
        self.embassiesAbroad = embassiesAbroad.sorted()
        self.issuedAt = issuedAt
    }

    private enum CodingKeys: String, CodingKey {
        case jurisdiction, version, sites, hosts, custodians, custodianKeys, embassiesHosted, embassiesAbroad, issuedAt
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        jurisdiction = try container.decode(JurisdictionCode.self, forKey: .jurisdiction)
        version = try container.decode(Int.self, forKey: .version)
        sites = try container.decode([String].self, forKey: .sites)
        hosts = try container.decode([String: String].self, forKey: .hosts)
        custodians = try container.decode([String].self, forKey: .custodians)
        // Records signed before custodians' keys were pinned have none: such custodians still release
        // the keys they hold, and receive new ones once their state signs a record pinning them.
        custodianKeys = try container.decodeIfPresent([String: String].self, forKey: .custodianKeys) ?? [:]
        embassiesHosted = try container.decode([String: JurisdictionCode].self, forKey: .embassiesHosted)
        embassiesAbroad = try container.decode([String].self, forKey: .embassiesAbroad)
        issuedAt = try container.decode(Date.self, forKey: .issuedAt)
    }

    /// The record the control plane's topology describes for `jurisdiction`: what its authority is
    /// asked to sign, and checks before it does.
    public static func draft(
        of jurisdiction: JurisdictionCode, topology: Topology, custodians: [Custodian], version: Int, at time: Date
    ) -> JurisdictionRecord {
        let sites = topology.sites.filter { $0.jurisdiction == jurisdiction }
        let siteIDs = Set(sites.map(\.id))
        let keeping = custodians.filter { $0.jurisdiction == jurisdiction }
        return JurisdictionRecord(
            jurisdiction: jurisdiction, version: version, sites: sites.map(\.id),
            hosts: Dictionary(
                topology.hosts.filter { siteIDs.contains($0.siteID) }.map { ($0.id, $0.siteID) },
                uniquingKeysWith: { first, _ in first }),
            custodians: keeping.map(\.id),
            custodianKeys: Dictionary(
                keeping.compactMap { custodian in custodian.identityKey.map { (custodian.id, $0) } },
                uniquingKeysWith: { first, _ in first }),
            embassiesHosted: Dictionary(
                sites.compactMap { site in site.embassyOf.map { (site.id, $0) } },
                uniquingKeysWith: { first, _ in first }
            ),
            embassiesAbroad: topology.sites.filter { $0.embassyOf == jurisdiction }.map(\.id),
            issuedAt: time)
    }

    /// Whether `other` records the same ground, whatever its version and date.
    public func recordsSameGround(as other: JurisdictionRecord) -> Bool {
        jurisdiction == other.jurisdiction && sites == other.sites && hosts == other.hosts
            && custodians == other.custodians && custodianKeys == other.custodianKeys
            && embassiesHosted == other.embassiesHosted
            && embassiesAbroad == other.embassiesAbroad
    }

    public func validate() throws(DomainError) {
        // Bounded so that the next version (version + 1) can always be drafted: a state signing Int.max
        // must not stop the control plane.
        guard (1...Self.highestVersion).contains(version) else {
            throw DomainError(
                .invalidJurisdictionRecord, "a jurisdiction record's version is from 1 to \(Self.highestVersion)")
        }
        let own = Set(sites)
        for (host, site) in hosts where !own.contains(site) {
            throw DomainError(
                .invalidJurisdictionRecord, "host '\(host)' stands in site '\(site)', which the record does not list")
        }
        let keeping = Set(custodians)
        for custodian in custodianKeys.keys where !keeping.contains(custodian) {
            throw DomainError(
                .invalidJurisdictionRecord,
                "the record pins a key for custodian '\(custodian)', which it does not list as keeping keys")
        }
        for (site, state) in embassiesHosted {
            guard own.contains(site) else {
                throw DomainError(.invalidJurisdictionRecord, "embassy site '\(site)' is not one of the record's sites")
            }
            guard state != jurisdiction else {
                throw DomainError(
                    .invalidJurisdictionRecord, "site '\(site)' cannot be a data embassy of its own jurisdiction")
            }
        }
        if let site = embassiesAbroad.first(where: own.contains) {
            throw DomainError(
                .invalidJurisdictionRecord, "site '\(site)' is on this state's own soil, not an embassy abroad")
        }
    }
}
