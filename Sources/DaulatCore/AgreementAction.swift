/// What one party may do alone to an agreement that every party signed, each as an ``AgreementAct``
/// signed by that party's authority.
public enum AgreementAction: String, Sendable, Codable, CaseIterable {
    /// Stops the agreement at once, for the data of every party, until the same party resumes it.
    case suspend
    /// Lifts the acting party's own suspension; the agreement is in force again once no party holds
    /// it suspended.
    case resume
    /// Ends the agreement for good (a draft too).
    case terminate

    public var pastParticiple: String {
        switch self {
        case .suspend: "suspended"
        case .resume: "resumed"
        case .terminate: "terminated"
        }
    }
}
