/// The sites and hosts the planner can place copies on.
public struct Topology: Sendable, Codable, Equatable {
    public var sites: [Site]
    public var hosts: [StorageHost]

    public init(sites: [Site], hosts: [StorageHost]) {
        self.sites = sites
        self.hosts = hosts
    }
}
