import Foundation

/// A dataset owned by an agency, kept under a classification and a residency policy.
public struct Dataset: Hashable, Sendable, Codable {
    public var id: String
    public var name: String
    public var ownerAgency: String
    public var home: JurisdictionCode
    public var classification: String
    public var policy: ResidencyPolicy
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String,
        name: String,
        ownerAgency: String,
        home: JurisdictionCode,
        classification: String,
        policy: ResidencyPolicy,
        createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.name = name
        self.ownerAgency = ownerAgency
        self.home = home
        self.classification = classification
        self.policy = policy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
