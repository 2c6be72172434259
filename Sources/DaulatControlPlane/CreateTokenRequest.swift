import DaulatCore

/// `POST /v1/tokens`.
struct CreateTokenRequest: Codable, Sendable, StrictlyDecodable {
    static var fields: [String] { ["name", "role", "agency", "jurisdiction"] }

    var name: String
    var role: Role
    var agency: String?
    var jurisdiction: JurisdictionCode?
}
