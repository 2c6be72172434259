/// What a bearer token may do.
public enum Role: String, Sendable, Codable, CaseIterable {
    /// Alliance operator: manages jurisdictions, sites, agreements; sees every dataset.
    case `operator`
    /// Data owner: sees and changes only its own agency's datasets.
    case owner
    /// Regulator: reads, and only what concerns its own jurisdiction.
    case regulator
}
