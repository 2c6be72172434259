import Foundation

/// The desired placement of one dataset: the hosts that must hold it, why each was chosen, which sites
/// were ruled out and why, and any way the placement falls short of the policy.
public struct Placement: Hashable, Sendable, Codable {
    public var datasetID: String
    public var computedAt: Date
    public var choices: [PlacementChoice]
    public var excludedSites: [SiteExclusion]
    public var violations: [PlacementViolation]

    public init(
        datasetID: String,
        computedAt: Date,
        choices: [PlacementChoice],
        excludedSites: [SiteExclusion],
        violations: [PlacementViolation]
    ) {
        self.datasetID = datasetID
        self.computedAt = computedAt
        self.choices = choices
        self.excludedSites = excludedSites
        self.violations = violations
    }

    public var hostIDs: [String] { choices.map(\.hostID) }

    /// Same hosts in the same sites and jurisdictions (a host can be moved), and the same shortfalls,
    /// regardless of when it was computed or how it was explained.
    public func hasSameOutcome(as other: Placement) -> Bool {
        choices.map { [$0.hostID, $0.siteID, $0.jurisdiction.rawValue] }
            == other.choices.map { [$0.hostID, $0.siteID, $0.jurisdiction.rawValue] }
            && violations.map(\.kind) == other.violations.map(\.kind)
    }
}
