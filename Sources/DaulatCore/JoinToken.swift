import Foundation

/// A one-time token an operator gives to a new storage host's agent, or to a new custodian, so that it
/// can enrol: bound to that one host (and so its site) or custodian (and so its jurisdiction), valid
/// until `expiresAt`, used once. Only the SHA-256 of the secret is kept.
public struct JoinToken: Hashable, Sendable, Codable {
    public var id: String
    public var subject: EnrolmentSubject
    public var secretHash: String
    public var createdAt: Date
    public var expiresAt: Date
    public var usedAt: Date?

    public init(
        id: String, subject: EnrolmentSubject, secretHash: String, createdAt: Date, expiresAt: Date, usedAt: Date? = nil
    ) {
        self.id = id
        self.subject = subject
        self.secretHash = secretHash
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.usedAt = usedAt
    }

    /// Why the token cannot enrol at `time`, or nil if it can.
    public func refusal(at time: Date) -> JoinTokenRefusal? {
        if usedAt != nil { return .alreadyUsed }
        if expiresAt <= time { return .expired }
        return nil
    }
}
