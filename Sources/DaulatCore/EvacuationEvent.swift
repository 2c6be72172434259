/// What happened to an evacuation, as recorded in the audit log (`evacuation.<raw value>`).
public enum EvacuationEvent: String, Hashable, Sendable, Codable {
    case started
    case quarantined
    case quarantineLifted = "quarantine_lifted"
    case deadlineMissed = "deadline_missed"
    case ended
    case withdrawn
    case lost
}
