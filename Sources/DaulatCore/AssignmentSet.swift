import Foundation

/// Everything one host should hold, as the control plane signs it for the host's agent.
public struct AssignmentSet: Codable, Sendable, Equatable {
    /// What the control plane's signature on a set is for: a signature for anything else (a ticket)
    /// does not verify as a set, nor a set's as anything else.
    public static let signaturePurpose = "assignments"

    public var hostID: String
    /// The jurisdiction of the host's site, as the control plane's database has it: the agent checks it
    /// against where its state's signed record places the host.
    public var jurisdiction: JurisdictionCode
    /// Changes whenever what the host should hold, or where it may come from, changes; an agent asks
    /// for the set "after" the revision it has and waits until there is a new one.
    public var revision: String
    public var issuedAt: Date
    public var assignments: [Assignment]
    /// Copies the host holds but is no longer placed to hold, each listed only once every host the
    /// object's dataset is placed on holds a verified copy: the agent deletes them and says so.
    public var releases: [StoredObject]
    /// Hosts whose certificates were revoked, with when: an agent refuses to send a copy under a ticket
    /// issued to one of them before then, though the host may still present a certificate that has not
    /// expired and a ticket that has not either.
    public var revokedHosts: [String: Date]
    /// The alliance's rules, its agreements with their parties' signatures and the states' records of
    /// their ground: the agent believes an agreement, and where it stands itself, only as far as those
    /// signatures, under the charter it pinned, go.
    public var policy: PolicyBundle

    public init(
        hostID: String,
        jurisdiction: JurisdictionCode,
        revision: String,
        issuedAt: Date,
        assignments: [Assignment],
        releases: [StoredObject] = [],
        revokedHosts: [String: Date] = [:],
        policy: PolicyBundle
    ) {
        self.hostID = hostID
        self.jurisdiction = jurisdiction
        self.revision = revision
        self.issuedAt = issuedAt
        self.assignments = assignments
        self.releases = releases
        self.revokedHosts = revokedHosts
        self.policy = policy
    }

    private enum CodingKeys: String, CodingKey {
        case hostID, jurisdiction, revision, issuedAt, assignments, releases, revokedHosts, policy
    }

    /// A set from a control plane that did not publish revocations yet has none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        hostID = try container.decode(String.self, forKey: .hostID)
        jurisdiction = try container.decode(JurisdictionCode.self, forKey: .jurisdiction)
        revision = try container.decode(String.self, forKey: .revision)
        issuedAt = try container.decode(Date.self, forKey: .issuedAt)
        assignments = try container.decode([Assignment].self, forKey: .assignments)
        releases = try container.decode([StoredObject].self, forKey: .releases)
        revokedHosts = try container.decodeIfPresent([String: Date].self, forKey: .revokedHosts) ?? [:]
        policy = try container.decode(PolicyBundle.self, forKey: .policy)
    }
}
