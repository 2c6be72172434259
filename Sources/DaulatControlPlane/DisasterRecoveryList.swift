import DaulatCore

/// `GET /v1/datasets/{id}/disaster-recovery`: whether an activation is in force now, and every one declared.
public struct DisasterRecoveryList: Codable, Sendable {
    public var datasetID: String
    public var inForce: Bool
    public var activations: [DisasterRecoveryActivation]
}
