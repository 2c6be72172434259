/// A site the planner could not use for a dataset, and why.
public struct SiteExclusion: Hashable, Sendable, Codable {
    public var siteID: String
    public var reason: String

    public init(siteID: String, reason: String) {
        self.siteID = siteID
        self.reason = reason
    }
}
