import DaulatCore

/// The policy evaluator and planner for the alliance as it stood at one catalog version.
public struct PlacementSnapshot: Sendable {
    public let evaluator: PolicyEvaluator
    public let planner: PlacementPlanner
    /// What a change planned from this snapshot names so the store can refuse it if the catalog moved.
    public let catalogVersion: Int64
}
