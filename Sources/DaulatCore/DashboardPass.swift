import Foundation

/// What lets a browser into the regulator dashboard, signed by the control plane: first as a login
/// link (minutes), then as the session cookie the link is exchanged for (hours). It names the API
/// token by the hash of its secret, never the secret, so the browser holds nothing it could use on
/// the API.
public struct DashboardPass: Hashable, Sendable, Codable {
    public static let linkPurpose = "dashboard login link"
    public static let sessionPurpose = "dashboard session"
    public static let linkLifetime: TimeInterval = 300
    public static let sessionLifetime: TimeInterval = 8 * 3_600

    public var secretHash: String
    public var expiresAt: Date

    public init(secretHash: String, expiresAt: Date) {
        self.secretHash = secretHash
        self.expiresAt = expiresAt
    }
}
