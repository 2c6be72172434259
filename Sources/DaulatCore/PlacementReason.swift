/// Why the planner chose a host, in a form programs can read; ``PlacementChoice/explanation`` says it in words.
public struct PlacementReason: Hashable, Sendable, Codable {
    public enum Kind: String, Sendable, Codable {
        /// The required copy in the home jurisdiction.
        case homeReplica = "home_replica"
        /// A site in a failure domain that holds no copy yet.
        case newFailureDomain = "new_failure_domain"
        /// A site that holds no copy yet, in a failure domain that already does.
        case newSite = "new_site"
        /// Another host in a site that already holds a copy: fewer eligible sites than replicas.
        case additionalHost = "additional_host"
    }

    public var kind: Kind
    /// The site's rank for this dataset among the eligible sites (1 is the highest).
    public var rank: Int
    public var eligibleSites: Int

    public init(kind: Kind, rank: Int, eligibleSites: Int) {
        self.kind = kind
        self.rank = rank
        self.eligibleSites = eligibleSites
    }
}
