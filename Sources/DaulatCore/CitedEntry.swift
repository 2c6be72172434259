/// An audit entry a report rests on, with the proof that it is in the log the report's tree head signs.
public struct CitedEntry: Hashable, Sendable, Codable {
    public var entry: AuditEntry
    public var proof: InclusionProof

    public init(entry: AuditEntry, proof: InclusionProof) {
        self.entry = entry
        self.proof = proof
    }
}
