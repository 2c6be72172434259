/// Whether one jurisdiction may be used for one purpose by one dataset at one time, and why.
public struct JurisdictionVerdict: Hashable, Sendable, Codable {
    public var jurisdiction: JurisdictionCode
    public var allowed: Bool
    /// Allowed only at data-embassy sites of the dataset's home state in that jurisdiction.
    public var embassyOnly: Bool
    public var reason: VerdictReason

    public init(jurisdiction: JurisdictionCode, allowed: Bool, embassyOnly: Bool = false, reason: VerdictReason) {
        self.jurisdiction = jurisdiction
        self.allowed = allowed
        self.embassyOnly = embassyOnly
        self.reason = reason
    }
}
