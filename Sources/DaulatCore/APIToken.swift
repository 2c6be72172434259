import Foundation

/// A bearer token as the store keeps it: only the SHA-256 of the secret, never the secret.
public struct APIToken: Hashable, Sendable, Codable {
    public var id: String
    public var name: String
    public var role: Role
    /// Set for owners: the agency whose datasets the token may see and change.
    public var agency: String?
    /// Set for regulators: the jurisdiction the token may read about.
    public var jurisdiction: JurisdictionCode?
    public var secretHash: String
    public var createdAt: Date

    public init(
        id: String,
        name: String,
        role: Role,
        agency: String?,
        jurisdiction: JurisdictionCode?,
        secretHash: String,
        createdAt: Date
    ) {
        self.id = id
        self.name = name
        self.role = role
        self.agency = agency
        self.jurisdiction = jurisdiction
        self.secretHash = secretHash
        self.createdAt = createdAt
    }

    /// How this token appears as the actor of an audit entry.
    public var auditActor: String {
        switch role {
        case .operator: "operator:\(name) (token \(id))"
        case .owner: "owner:\(agency ?? "?"):\(name) (token \(id))"
        case .regulator: "regulator:\(jurisdiction?.rawValue ?? "?"):\(name) (token \(id))"
        }
    }
}
