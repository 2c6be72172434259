import DaulatCore

/// `POST /v1/datasets`.
struct RegisterDatasetRequest: Codable, Sendable, StrictlyDecodable {
    static var fields: [String] { ["name", "classification", "home", "ownerAgency", "policy"] }

    var name: String
    var classification: String
    var home: JurisdictionCode
    /// Required from operators; owners register for their own agency and may leave it out.
    var ownerAgency: String?
    var policy: PolicyInput?
}
