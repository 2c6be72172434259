/// The verbs that move an agreement between statuses.
public enum AgreementAction: String, Sendable, Codable, CaseIterable {
    case activate
    case suspend
    case terminate

    var pastParticiple: String {
        switch self {
        case .activate: "activated"
        case .suspend: "suspended"
        case .terminate: "terminated"
        }
    }
}
