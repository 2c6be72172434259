import DaulatCore

/// `POST /v1/alliance/rules/signatures`: one state's authority signature over a version of the
/// alliance's rules.
struct AllianceRulesSignatureRequest: Codable, Sendable, StrictlyDecodable {
    static var fields: [String] { ["jurisdiction", "version", "signature"] }

    var jurisdiction: JurisdictionCode
    /// The version signed: the draft's, which is one above the rules in force.
    var version: Int
    /// base64url Ed25519 over the rules of that version, as `daulat alliance rules sign` makes it.
    var signature: String
}
