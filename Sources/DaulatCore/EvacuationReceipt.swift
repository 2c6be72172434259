/// What an ended evacuation leaves as evidence: which copy left which host when, against which
/// deadline, with the audit entries that recorded it cited with their proofs against a signed tree head.
public struct EvacuationReceipt: Hashable, Sendable, Codable {
    public var evacuation: Evacuation
    public var treeHead: SignedTreeHead
    /// The evacuation's own entries (started, quarantined, ended…) and the copy's release or loss.
    public var citedEntries: [CitedEntry]

    public init(evacuation: Evacuation, treeHead: SignedTreeHead, citedEntries: [CitedEntry]) {
        self.evacuation = evacuation
        self.treeHead = treeHead
        self.citedEntries = citedEntries
    }
}
