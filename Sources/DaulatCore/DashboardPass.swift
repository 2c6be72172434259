import Foundation

/// What lets a browser into the regulator dashboard, signed by the control plane: first as a login
/// link (minutes, good once), then as the session cookie the link is exchanged for (hours, and never
/// past its token's life: a session ends with its token). It names the API token by the hash of its
/// secret, never the secret, so the browser holds nothing it could use on the API.
public struct DashboardPass: Hashable, Sendable, Codable {
    public static let linkPurpose = "dashboard login link"
    public static let sessionPurpose = "dashboard session"
    public static let linkLifetime: TimeInterval = 300
    public static let sessionLifetime: TimeInterval = 8 * 3_600

    public var secretHash: String
    public var expiresAt: Date
    /// A link's own name, so that it can be used once; a session has none.
    public var nonce: String?

    public init(secretHash: String, expiresAt: Date, nonce: String? = nil) {
        self.secretHash = secretHash
        self.expiresAt = expiresAt
        self.nonce = nonce
    }
}
