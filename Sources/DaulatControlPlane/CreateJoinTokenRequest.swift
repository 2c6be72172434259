import DaulatCore
import Foundation

/// `POST /v1/join-tokens`.
struct CreateJoinTokenRequest: Codable, Sendable, StrictlyDecodable {
    static var fields: [String] { ["host", "custodian", "ttlSeconds"] }

    /// Exactly one of `host` and `custodian`: whom the token enrols.
    var host: String?
    var custodian: String?
    /// How long the token may be used; one hour when absent, at most a week.
    var ttlSeconds: Int?
}

/// A join token as returned to the operator who asked for it, the only time the secret is shown.
public struct IssuedJoinToken: Codable, Sendable {
    public var id: String
    /// The secret and the fingerprint of the authority the daemon is to trust (``JoinTokenText``).
    public var token: String
    /// That fingerprint, `sha256:` and hex, for comparing with what `daulat server` logged.
    public var authorityFingerprint: String
    /// Whom it enrols: a host or a custodian.
    public var host: String?
    public var custodian: String?
    public var expiresAt: Date
}

/// `POST /v1/hosts/{id}/revoke` and `POST /v1/custodians/{id}/revoke`.
public struct Revocation: Codable, Sendable {
    public var host: String?
    public var custodian: String?
    public var revokedCertificates: Int
}

/// `GET /v1/agents`: every host and what its agent last reported, if anything.
public struct AgentList: Codable, Sendable {
    public struct Entry: Codable, Sendable {
        public var host: String
        public var site: String
        public var lastHeartbeat: Date?
        public var capacityBytes: Int64?
        public var freeBytes: Int64?
        /// Where the agent serves objects, as it last reported.
        public var dataURL: String?
        /// The name its certificate carries for its current enrolment, which clients dial `dataURL` by;
        /// nil for a host that has not enrolled.
        public var peerName: String?
        /// What its last inventory held that is not a copy the control plane counts: object ids of no
        /// object or held without evidence, and hashes of blobs kept by hash alone.
        public var flaggedBlobs: [String]
    }

    public var agents: [Entry]
}
