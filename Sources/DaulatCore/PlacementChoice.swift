/// One host chosen to hold a copy, and why it was chosen.
public struct PlacementChoice: Hashable, Sendable, Codable {
    public var hostID: String
    public var siteID: String
    public var jurisdiction: JurisdictionCode
    public var failureDomain: String
    public var reason: PlacementReason

    public init(
        hostID: String,
        siteID: String,
        jurisdiction: JurisdictionCode,
        failureDomain: String,
        reason: PlacementReason
    ) {
        self.hostID = hostID
        self.siteID = siteID
        self.jurisdiction = jurisdiction
        self.failureDomain = failureDomain
        self.reason = reason
    }

    /// The reason in words, for people reading a placement.
    public var explanation: String {
        switch reason.kind {
        case .homeReplica:
            "home replica: highest-ranked of the eligible sites in the home jurisdiction \(jurisdiction)"
        case .newFailureDomain:
            "rank \(reason.rank) of \(reason.eligibleSites) eligible sites; new site in new failure domain '\(failureDomain)'"
        case .newSite:
            "rank \(reason.rank) of \(reason.eligibleSites) eligible sites; new site, but every eligible failure domain already holds a copy"
        case .additionalHost:
            "another host in site '\(siteID)': fewer eligible sites than replicas"
        }
    }

    enum CodingKeys: String, CodingKey {
        case hostID, siteID, jurisdiction, failureDomain, reason, explanation
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        hostID = try container.decode(String.self, forKey: .hostID)
        siteID = try container.decode(String.self, forKey: .siteID)
        jurisdiction = try container.decode(JurisdictionCode.self, forKey: .jurisdiction)
        failureDomain = try container.decode(String.self, forKey: .failureDomain)
        reason = try container.decode(PlacementReason.self, forKey: .reason)
    }

    /// Writes the explanation beside the structured reason; it is derived, so decoding ignores it.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(hostID, forKey: .hostID)
        try container.encode(siteID, forKey: .siteID)
        try container.encode(jurisdiction, forKey: .jurisdiction)
        try container.encode(failureDomain, forKey: .failureDomain)
        try container.encode(reason, forKey: .reason)
        try container.encode(explanation, forKey: .explanation)
    }
}
