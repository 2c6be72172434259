/// Where a host stands by the records its state signed: the jurisdiction, the site, and the state whose
/// data embassy the site is, if both states signed it as one.
public struct HostStanding: Sendable, Equatable {
    public var jurisdiction: JurisdictionCode
    public var siteID: String
    public var embassyOf: JurisdictionCode?

    public init(jurisdiction: JurisdictionCode, siteID: String, embassyOf: JurisdictionCode?) {
        self.jurisdiction = jurisdiction
        self.siteID = siteID
        self.embassyOf = embassyOf
    }
}
