import Foundation

/// A bearer token as the store keeps it: only the SHA-256 of the secret, never the secret. A token
/// works until it expires or is revoked, whichever comes first; a rotated token works on, beside its
/// successor, until the grace its rotation gave it ends.
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
    public var expiresAt: Date
    public var revokedAt: Date?
    /// When a request last came with it, to the minute.
    public var lastUsedAt: Date?
    /// The token a rotation issued in its place.
    public var successorID: String?

    /// How long a token works when its issuer does not say.
    public static let defaultLifetime: TimeInterval = 90 * 86_400

    public init(
        id: String,
        name: String,
        role: Role,
        agency: String?,
        jurisdiction: JurisdictionCode?,
        secretHash: String,
        createdAt: Date,
        expiresAt: Date? = nil,
        revokedAt: Date? = nil,
        lastUsedAt: Date? = nil,
        successorID: String? = nil
    ) {
        self.id = id
        self.name = name
        self.role = role
        self.agency = agency
        self.jurisdiction = jurisdiction
        self.secretHash = secretHash
        self.createdAt = createdAt
        self.expiresAt = expiresAt ?? createdAt.addingTimeInterval(Self.defaultLifetime)
        self.revokedAt = revokedAt
        self.lastUsedAt = lastUsedAt
        self.successorID = successorID
    }

    enum CodingKeys: String, CodingKey {
        case id, name, role, agency, jurisdiction, secretHash, createdAt, expiresAt, revokedAt, lastUsedAt, successorID
    }

    /// Tokens issued before tokens expired have no `expiresAt`: they expire ``defaultLifetime`` after
    /// they were made.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try container.decode(String.self, forKey: .id), name: try container.decode(String.self, forKey: .name),
            role: try container.decode(Role.self, forKey: .role),
            agency: try container.decodeIfPresent(String.self, forKey: .agency),
            jurisdiction: try container.decodeIfPresent(JurisdictionCode.self, forKey: .jurisdiction),
            secretHash: try container.decode(String.self, forKey: .secretHash),
            createdAt: try container.decode(Date.self, forKey: .createdAt),
            expiresAt: try container.decodeIfPresent(Date.self, forKey: .expiresAt),
            revokedAt: try container.decodeIfPresent(Date.self, forKey: .revokedAt),
            lastUsedAt: try container.decodeIfPresent(Date.self, forKey: .lastUsedAt),
            successorID: try container.decodeIfPresent(String.self, forKey: .successorID))
    }

    /// Whether a request may be made with it at `now`.
    public func isLive(at now: Date) -> Bool { revokedAt == nil && now < expiresAt }

    /// The token with its secret's hash left out, as the audit log and listings show it.
    public var redacted: APIToken {
        var token = self
        token.secretHash = "(redacted)"
        return token
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
