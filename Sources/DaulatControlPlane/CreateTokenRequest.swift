import DaulatCore

/// `POST /v1/tokens`.
struct CreateTokenRequest: Codable, Sendable, StrictlyDecodable {
    static var fields: [String] { ["name", "role", "agency", "jurisdiction", "expiresInSeconds"] }

    var name: String
    var role: Role
    var agency: String?
    var jurisdiction: JurisdictionCode?
    /// How long the token works: ``APIToken/defaultLifetime`` when absent, at most the server's ceiling.
    var expiresInSeconds: Int?
}
