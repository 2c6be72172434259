/// A storage host in a site, on which an agent runs. (Named to stay clear of Foundation's `Host`.)
public struct StorageHost: Hashable, Sendable, Codable {
    public var id: String
    public var siteID: String
    public var capacityBytes: Int64
    public var freeBytes: Int64
    public var status: HostStatus

    public init(id: String, siteID: String, capacityBytes: Int64, freeBytes: Int64, status: HostStatus = .available) {
        self.id = id
        self.siteID = siteID
        self.capacityBytes = capacityBytes
        self.freeBytes = freeBytes
        self.status = status
    }

    enum CodingKeys: String, CodingKey {
        case id, siteID, capacityBytes, freeBytes, status
    }

    /// `status` may be left out of configuration files; a new host is available.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        siteID = try container.decode(String.self, forKey: .siteID)
        capacityBytes = try container.decode(Int64.self, forKey: .capacityBytes)
        freeBytes = try container.decode(Int64.self, forKey: .freeBytes)
        status = try container.decodeIfPresent(HostStatus.self, forKey: .status) ?? .available
    }

    public func validate(sites: [Site]) throws(DomainError) {
        try Identifier.validate(id, what: "host id")
        guard sites.contains(where: { $0.id == siteID }) else {
            throw DomainError(.unknownSite, "host '\(id)' names unknown site '\(siteID)'")
        }
        guard capacityBytes > 0, freeBytes >= 0, freeBytes <= capacityBytes else {
            throw DomainError(
                .invalidCapacity,
                "host '\(id)' needs capacity > 0 and 0 <= free <= capacity (got \(freeBytes) of \(capacityBytes))"
            )
        }
    }
}
