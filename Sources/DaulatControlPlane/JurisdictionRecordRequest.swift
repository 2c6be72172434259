/// `POST /v1/jurisdictions/{code}/record`: the state's record of its ground, as its authority signed it
/// (`daulat site sign`).
struct JurisdictionRecordRequest: Codable, Sendable, StrictlyDecodable {
    static var fields: [String] { ["record"] }

    /// base64url of the record's canonical JSON, a dot, base64url of the authority's signature.
    var record: String
}
