/// How the control plane knows a host holds a copy: never by the agent's word alone. A copy counts only
/// when the bytes came to the host through a ticket the control plane issued for that host and object,
/// each ticket once.
public enum CopyEvidence: Sendable, Equatable {
    /// The data owner uploaded the object to this host with upload ticket `ticket` (its nonce).
    case upload(ticket: String)
    /// The host copied the object from `source` with download ticket `ticket` (its nonce), and the
    /// agent of `source` said it sent the whole object to this host under it.
    case transfer(ticket: String, from: String)

    /// The ticket's nonce: one copy per ticket, ever.
    public var ticket: String {
        switch self {
        case .upload(let ticket), .transfer(let ticket, _): ticket
        }
    }

    /// How the copy came, as the audit log names it.
    public var via: String {
        switch self {
        case .upload: "upload"
        case .transfer: "transfer"
        }
    }
}
