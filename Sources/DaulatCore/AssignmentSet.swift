import Foundation

/// Everything one host should hold, as the control plane signs it for the host's agent.
public struct AssignmentSet: Codable, Sendable, Equatable {
    public var hostID: String
    /// The jurisdiction of the host's site, as the control plane knows it.
    public var jurisdiction: JurisdictionCode
    /// Changes whenever what the host should hold, or where it may come from, changes; an agent asks
    /// for the set "after" the revision it has and waits until there is a new one.
    public var revision: String
    public var issuedAt: Date
    public var assignments: [Assignment]

    public init(
        hostID: String, jurisdiction: JurisdictionCode, revision: String, issuedAt: Date, assignments: [Assignment]
    ) {
        self.hostID = hostID
        self.jurisdiction = jurisdiction
        self.revision = revision
        self.issuedAt = issuedAt
        self.assignments = assignments
    }
}
