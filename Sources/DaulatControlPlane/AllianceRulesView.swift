import DaulatCore

/// The alliance's rules as `GET /v1/alliance/rules` shows them: the version every state signed, and
/// the draft the operator's rule base asks them to sign next, with the signatures it has so far.
public struct AllianceRulesView: Codable, Sendable {
    /// The latest version every state signed; nil until the first is.
    public var inForce: SignedAllianceRules?
    /// The rules the operator's rule base holds now, at the version after the one in force.
    public var draft: AllianceRules
    /// The states' signatures over the draft so far.
    public var signatures: [String: String]
    /// The states of the charter whose signature the draft still lacks.
    public var unsigned: [JurisdictionCode]
    /// Whether the rules in force are the draft's: nothing to sign.
    public var current: Bool
}
