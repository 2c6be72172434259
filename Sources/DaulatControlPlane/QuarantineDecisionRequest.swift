/// `POST /v1/evacuations/{id}/decision`: the home state's decision about a quarantined copy, as its
/// authority signed it.
struct QuarantineDecisionRequest: Codable, Sendable, StrictlyDecodable {
    static var fields: [String] { ["decision"] }

    /// base64url of the decision's canonical JSON, a dot, base64url of the authority's signature.
    var decision: String
}
