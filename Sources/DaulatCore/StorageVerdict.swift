/// What a re-planning pass concluded about where one dataset's copies may be.
public struct StorageVerdict: Hashable, Sendable {
    public var policy: EvaluatedPolicy
    public var ownerAgency: String
    /// Whether the planner found at least one allowed host for the dataset: where there is none, a
    /// disallowed copy has nowhere to go and is quarantined instead.
    public var hasAllowedPlace: Bool
    public var evacuationDeadlineSeconds: Int

    public init(policy: EvaluatedPolicy, ownerAgency: String, hasAllowedPlace: Bool, evacuationDeadlineSeconds: Int) {
        self.policy = policy
        self.ownerAgency = ownerAgency
        self.hasAllowedPlace = hasAllowedPlace
        self.evacuationDeadlineSeconds = evacuationDeadlineSeconds
    }
}
