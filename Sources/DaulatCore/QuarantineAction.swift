/// What a dataset's home state decides for a quarantined copy, which has nowhere allowed to go.
public enum QuarantineAction: String, Hashable, Sendable, Codable, CaseIterable {
    /// Keep it where it is, quarantined, until a date: its evacuation's deadline becomes that date.
    case keep
    /// Destroy it once a verified copy that stays exists elsewhere.
    case destroy
}
