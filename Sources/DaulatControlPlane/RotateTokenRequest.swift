/// `POST /v1/tokens/{id}/rotate`.
struct RotateTokenRequest: Codable, Sendable, StrictlyDecodable {
    static var fields: [String] { ["graceSeconds", "expiresInSeconds"] }

    /// How long the old token keeps working beside its successor: a day when absent, at most 30 days.
    var graceSeconds: Int?
    /// How long the successor works: ``APIToken/defaultLifetime`` when absent, at most the server's ceiling.
    var expiresInSeconds: Int?

    static var defaultGrace: Int { 86_400 }
    static var longestGrace: Int { 30 * 86_400 }
}
