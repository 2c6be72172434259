/// One share a requester asks for: its index, and which custodian, where, holds it. Named in every
/// error, so a user knows which share is missing and from where.
public struct ExpectedShare: Hashable, Sendable, Codable {
    public let index: UInt8
    public let custodian: String
    public let jurisdiction: String

    public init(index: UInt8, custodian: String, jurisdiction: String) {
        self.index = index
        self.custodian = custodian
        self.jurisdiction = jurisdiction
    }
}
