import Foundation

/// Everything one host should hold, as the control plane signs it for the host's agent.
public struct AssignmentSet: Codable, Sendable, Equatable {
    /// What the control plane's signature on a set is for: a signature for anything else (a ticket)
    /// does not verify as a set, nor a set's as anything else.
    public static let signaturePurpose = "assignments"

    public var hostID: String
    /// The jurisdiction of the host's site, as the control plane knows it.
    public var jurisdiction: JurisdictionCode
    /// Changes whenever what the host should hold, or where it may come from, changes; an agent asks
    /// for the set "after" the revision it has and waits until there is a new one.
    public var revision: String
    public var issuedAt: Date
    public var assignments: [Assignment]
    /// Copies the host holds but is no longer placed to hold, each listed only once every host the
    /// object's dataset is placed on holds a verified copy: the agent deletes them and says so.
    public var releases: [StoredObject]

    public init(
        hostID: String,
        jurisdiction: JurisdictionCode,
        revision: String,
        issuedAt: Date,
        assignments: [Assignment],
        releases: [StoredObject] = []
    ) {
        self.hostID = hostID
        self.jurisdiction = jurisdiction
        self.revision = revision
        self.issuedAt = issuedAt
        self.assignments = assignments
        self.releases = releases
    }
}
