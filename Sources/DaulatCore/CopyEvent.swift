/// Which copy an audit entry of a copy stored, found, released or lost is about, as its document says.
public struct CopyEvent: Hashable, Sendable, Decodable {
    public var object: String
    public var host: String

    /// The copy `entry` records, if it records one.
    public static func of(_ entry: AuditEntry) -> CopyEvent? {
        let document: String?
        switch entry.action {
        case "object.copy_stored", "object.copy_found": document = entry.after
        case "object.copy_released", "object.copy_lost": document = entry.before
        default: return nil
        }
        return document.flatMap { try? CanonicalJSON.decode(CopyEvent.self, from: $0) }
    }
}
