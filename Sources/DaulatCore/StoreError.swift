/// Failures a store reports in terms its callers can act on. Messages never carry query text or data.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The thing to change does not exist.
    case notFound(kind: String, id: String)
    /// A thing with this identity already exists.
    case conflict(String)
    /// The change breaks a rule of the records' present state (a shred pending, a key version retired);
    /// `code` is stable, for clients to act on.
    case refused(code: String, message: String)
    /// The same idempotency key was used before with a different request.
    case idempotencyKeyReused
    /// The database cannot be reached or failed; the change did not happen.
    case unavailable(String)
    /// The alliance's rules, topology or agreements changed after the change was planned from them;
    /// nothing was written, and planning again from the current catalog will do.
    case catalogChanged
    /// The database schema is newer than this build knows; running would risk corrupting it.
    case schemaTooNew(database: Int, known: Int)

    public var description: String {
        switch self {
        case .notFound(let kind, let id): "\(kind) '\(id)' not found"
        case .conflict(let message): message
        case .refused(_, let message): message
        case .idempotencyKeyReused: "this Idempotency-Key was already used with a different request"
        case .unavailable(let message): "database unavailable: \(message)"
        case .catalogChanged: "the alliance's rules, topology or agreements changed while this was being planned"
        case .schemaTooNew(let database, let known):
            "the database schema is at version \(database) but this build knows only up to \(known); upgrade daulat"
        }
    }
}
