/// Why a ticket was refused.
public enum TicketError: String, Error, Sendable, CustomStringConvertible {
    case malformed = "ticket_malformed"
    case badSignature = "ticket_signature_invalid"
    case expired = "ticket_expired"
    case wrongHost = "ticket_for_another_host"
    case wrongKind = "ticket_wrong_kind"
    case replayed = "ticket_replayed"

    public var code: String { rawValue }

    public var description: String {
        switch self {
        case .malformed: "the ticket is not one the control plane writes"
        case .badSignature: "the ticket is not signed by this alliance's control plane"
        case .expired: "the ticket has expired; ask the control plane for a new one"
        case .wrongHost: "the ticket is for another host"
        case .wrongKind: "the ticket does not allow this operation"
        case .replayed: "the ticket has already been used"
        }
    }
}
