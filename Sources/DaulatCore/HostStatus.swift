/// Whether the planner may put new copies on a host.
public enum HostStatus: String, Sendable, Codable, CaseIterable {
    case available
    /// Taken out by an operator: holds nothing new.
    case unavailable
    /// Its agent stopped reporting: holds nothing new, and its copies are made elsewhere. Set and
    /// cleared by the control plane alone, from heartbeats: back to available when the agent reports.
    case silent
    /// Being emptied: holds nothing new, its copies are moved away.
    case draining
}
