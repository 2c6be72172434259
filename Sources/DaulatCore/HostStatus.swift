/// Whether the planner may put new copies on a host.
public enum HostStatus: String, Sendable, Codable, CaseIterable {
    case available
    /// Missing heartbeats or taken out by an operator: holds nothing new.
    case unavailable
    /// Being emptied: holds nothing new, its copies are moved away.
    case draining
}
