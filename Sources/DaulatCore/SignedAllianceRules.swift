/// A version of the ``AllianceRules`` with the states' signatures over it so far: base64url Ed25519 by
/// jurisdiction code. It binds once every state of the charter has signed it.
public struct SignedAllianceRules: Codable, Sendable, Equatable {
    public var rules: AllianceRules
    public var signatures: [String: String]

    public init(rules: AllianceRules, signatures: [String: String] = [:]) {
        self.rules = rules
        self.signatures = signatures
    }
}
