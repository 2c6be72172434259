import Foundation

/// A one-time token an operator gives to a new storage host so that its agent can enrol: bound to one
/// host (and so to its site), valid until `expiresAt`, used once. Only the SHA-256 of the secret is kept.
public struct JoinToken: Hashable, Sendable, Codable {
    public var id: String
    public var hostID: String
    public var secretHash: String
    public var createdAt: Date
    public var expiresAt: Date
    public var usedAt: Date?

    public init(id: String, hostID: String, secretHash: String, createdAt: Date, expiresAt: Date, usedAt: Date? = nil) {
        self.id = id
        self.hostID = hostID
        self.secretHash = secretHash
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.usedAt = usedAt
    }

    /// Why the token cannot enrol an agent at `time`, or nil if it can.
    public func refusal(at time: Date) -> JoinTokenRefusal? {
        if usedAt != nil { return .alreadyUsed }
        if expiresAt <= time { return .expired }
        return nil
    }
}
