import Foundation

/// What a regulator of one jurisdiction is told: what is stored there and whose it is, on what basis;
/// where the jurisdiction's own datasets are held abroad; placements that cannot meet their policy;
/// evacuations and whether their deadlines were met; and key uses by justification, each counted from
/// an audit entry cited with its proof against the signed tree head the report carries.
public struct ResidencyReport: Hashable, Sendable, Codable {
    public var jurisdiction: JurisdictionCode
    public var generatedAt: Date
    /// The past instant the report describes, replayed from the audit log; absent when it describes
    /// the moment it was generated.
    public var asAt: Date?
    public var treeHead: SignedTreeHead
    public var storedHere: [ReportedCopy]
    public var heldAbroad: [ReportedCopy]
    public var violations: [ReportedViolation]
    public var evacuations: [Evacuation]
    public var keyUses: [KeyUseCount]
    /// Key shares custodians recorded releasing, of the jurisdiction's concern.
    public var keyReleases: Int
    /// Those whose decision the log does not hold: each a decision made outside the control plane's rules.
    public var unloggedReleases: [UnloggedRelease]
    /// The audit entries of the key uses and releases counted, each with its inclusion proof.
    public var citedEntries: [CitedEntry]

    public init(
        jurisdiction: JurisdictionCode, generatedAt: Date, treeHead: SignedTreeHead, storedHere: [ReportedCopy],
        heldAbroad: [ReportedCopy], violations: [ReportedViolation], evacuations: [Evacuation],
        keyUses: [KeyUseCount], keyReleases: Int = 0, unloggedReleases: [UnloggedRelease] = [],
        citedEntries: [CitedEntry], asAt: Date? = nil
    ) {
        self.keyReleases = keyReleases
        self.unloggedReleases = unloggedReleases
        self.jurisdiction = jurisdiction
        self.generatedAt = generatedAt
        self.asAt = asAt
        self.treeHead = treeHead
        self.storedHere = storedHere
        self.heldAbroad = heldAbroad
        self.violations = violations
        self.evacuations = evacuations
        self.keyUses = keyUses
        self.citedEntries = citedEntries
    }
}
