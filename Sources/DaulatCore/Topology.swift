/// The sites and hosts the planner can place copies on.
public struct Topology: Sendable, Codable, Equatable {
    public var sites: [Site]
    public var hosts: [StorageHost]

    public init(sites: [Site], hosts: [StorageHost]) {
        self.sites = sites
        self.hosts = hosts
    }

    /// Each host with its site, by host id (hosts whose site is unknown are left out).
    public var hostsWithSites: [String: (host: StorageHost, site: Site)] {
        let sites = Dictionary(self.sites.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return Dictionary(
            hosts.compactMap { host in sites[host.siteID].map { (host.id, (host, $0)) } },
            uniquingKeysWith: { first, _ in first })
    }
}
