/// The rules of the alliance that bind every state: its classification levels and how its
/// jurisdictions group. Every state of the charter signs each version; agents and custodians apply
/// only the latest version all of them signed (``SignedAllianceRules``), so an operator that widens a
/// classification or a group in its database widens nothing where data and keys are kept.
public struct AllianceRules: Codable, Sendable, Equatable {
    public static let signaturePurpose = "alliance-rules"

    /// From 1; a new version is signed when the operator's rule base changes.
    public var version: Int
    /// Sorted by name.
    public var classifications: [Classification]
    /// Sorted by name.
    public var groups: [JurisdictionGroup]

    public init(version: Int, classifications: [Classification], groups: [JurisdictionGroup]) {
        self.version = version
        self.classifications = classifications.sorted { $0.name < $1.name }
        self.groups = groups.sorted { $0.name < $1.name }
    }

    /// The rules the operator's rule base holds now, as version `version`: what the states are asked to
    /// sign.
    public static func draft(of alliance: Alliance, version: Int) -> AllianceRules {
        AllianceRules(version: version, classifications: alliance.classifications, groups: alliance.groups)
    }

    /// Whether `other` holds the same rules, whatever its version.
    public func sameRules(as other: AllianceRules) -> Bool {
        classifications == other.classifications && groups == other.groups
    }

    /// `alliance` with these rules in place of its own classifications and groups.
    public func applied(to alliance: Alliance) -> Alliance {
        Alliance(jurisdictions: alliance.jurisdictions, groups: groups, classifications: classifications)
    }
}
