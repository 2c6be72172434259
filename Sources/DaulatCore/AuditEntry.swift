import Foundation

/// One recorded change: who made it, what it was, when, and the subject's state before and after
/// (canonical JSON, absent for creations and deletions respectively).
public struct AuditEntry: Hashable, Sendable, Codable {
    public var sequence: Int64
    public var at: Date
    public var actor: String
    public var action: String
    public var subjectKind: String
    public var subjectID: String
    public var before: String?
    public var after: String?

    public init(
        sequence: Int64,
        at: Date,
        actor: String,
        action: String,
        subjectKind: String,
        subjectID: String,
        before: String?,
        after: String?
    ) {
        self.sequence = sequence
        self.at = at
        self.actor = actor
        self.action = action
        self.subjectKind = subjectKind
        self.subjectID = subjectID
        self.before = before
        self.after = after
    }
}
