/// One host chosen to hold a copy, and why it was chosen.
public struct PlacementChoice: Hashable, Sendable, Codable {
    public var hostID: String
    public var siteID: String
    public var jurisdiction: JurisdictionCode
    public var failureDomain: String
    public var reason: String

    public init(hostID: String, siteID: String, jurisdiction: JurisdictionCode, failureDomain: String, reason: String) {
        self.hostID = hostID
        self.siteID = siteID
        self.jurisdiction = jurisdiction
        self.failureDomain = failureDomain
        self.reason = reason
    }
}
