/// The rules a custodian or an agent checks a release or a copy against by itself: the alliance's
/// rules as every state signed them, every agreement with its parties' signatures and acts, and each state's signed record of its
/// ground, as the control plane publishes them. An agreement counts only as its signatures say,
/// whatever status its record gives, and a record only if its state's authority signed it.
public struct PolicyBundle: Codable, Sendable, Equatable {
    public var alliance: Alliance
    public var agreements: [Agreement]
    /// Each state's ``JurisdictionRecord``, as its authority signed it.
    public var records: [String]
    /// The latest classifications and groups every state signed; until there are, nothing is allowed
    /// anywhere, whatever ``alliance`` says.
    public var rules: SignedAllianceRules?

    public init(alliance: Alliance, agreements: [Agreement], records: [String], rules: SignedAllianceRules?) {
        self.alliance = alliance
        self.agreements = agreements
        self.records = records
        self.rules = rules
    }
}
