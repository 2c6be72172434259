/// What happened to an evacuation, as recorded in the audit log (`evacuation.<raw value>`).
public enum EvacuationEvent: String, Hashable, Sendable, Codable {
    case started
    case quarantined
    case quarantineLifted = "quarantine_lifted"
    case deadlineMissed = "deadline_missed"
    /// Its home state signed a decision about the quarantined copy (keep it until a date, or destroy it).
    case decided
    case ended
    case withdrawn
    case lost
}
