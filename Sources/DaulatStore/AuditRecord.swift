import DaulatCore
import Foundation

/// An audit entry about to be appended: who changed what, when, from which document to which.
struct AuditRecord: Sendable {
    var at: Date
    var actor: String
    var action: String
    var kind: String
    var id: String
    var before: String?
    var after: String?

    /// On PostgreSQL every writer takes this transaction-level advisory lock before its first audit
    /// entry and holds it to its commit, so entries become visible in sequence order and a reader
    /// paging by sequence never skips one committed late.
    static let orderingLockKey: Int64 = 0x6461_756c_6174_0002

    static let columns = ["at_ms", "actor", "action", "subject_kind", "subject_id", "before_doc", "after_doc"]

    var row: [SQLValue] {
        [.integer(at.millisecondsSince1970), .text(actor), .text(action), .text(kind), .text(id), before.map(SQLValue.text) ?? .null, after.map(SQLValue.text) ?? .null]
    }

    /// One insert for all of `records`, numbered in the log in this order.
    static func insert(_ records: [AuditRecord]) -> SQLInsert {
        SQLInsert(into: "audit_log", columns: columns, rows: records.map(\.row))
    }
}
