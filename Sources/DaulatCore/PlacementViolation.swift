/// A way in which the desired placement falls short of the policy. The planner reports these instead of
/// ever placing outside the allowed set.
public struct PlacementViolation: Hashable, Sendable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// No eligible host in the home jurisdiction although a home replica is required.
        case noHomeReplica = "no_home_replica"
        /// Fewer eligible hosts than the replica count.
        case underReplicated = "under_replicated"
        /// Fewer eligible sites than the minimum number of distinct sites.
        case tooFewSites = "too_few_sites"
    }

    public var kind: Kind
    public var message: String

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }
}
