import DaulatCore

/// `POST /v1/agreements/{id}/signatures`: one party's authority signature over the agreement's terms.
struct AgreementSignatureRequest: Codable, Sendable, StrictlyDecodable {
    static var fields: [String] { ["jurisdiction", "signature"] }

    var jurisdiction: JurisdictionCode
    /// base64url Ed25519 over the terms, as `daulat agreement sign` makes it.
    var signature: String
}
