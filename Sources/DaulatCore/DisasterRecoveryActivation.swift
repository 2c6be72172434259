import Foundation

/// An operator's declaration that a dataset is in disaster recovery: for as long as it is in force,
/// its keys may be opened at the home state's data embassy abroad, for disaster recovery only. It ends
/// at `until`, or earlier when an operator ends it; either way the declaration and its end are audited.
public struct DisasterRecoveryActivation: Hashable, Sendable, Codable {
    /// The longest an activation may be declared for; a longer emergency is declared again.
    public static let longest: TimeInterval = 30 * 86_400
    public static let longestReason = 200

    public var id: String
    public var datasetID: String
    /// What happened: a line for the audit log and the regulator, not a document.
    public var reason: String
    public var declaredBy: String
    public var declaredAt: Date
    public var until: Date
    public var endedAt: Date?
    public var endedBy: String?

    public init(
        id: String, datasetID: String, reason: String, declaredBy: String, declaredAt: Date, until: Date,
        endedAt: Date? = nil, endedBy: String? = nil
    ) {
        self.id = id
        self.datasetID = datasetID
        self.reason = reason
        self.declaredBy = declaredBy
        self.declaredAt = declaredAt
        self.until = until
        self.endedAt = endedAt
        self.endedBy = endedBy
    }

    public func isInForce(at time: Date) -> Bool {
        declaredAt <= time && time < until && (endedAt.map { time < $0 } ?? true)
    }

    /// A reason and an end an operator may declare.
    public func validate() throws(DomainError) {
        let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, reason.count <= Self.longestReason else {
            throw DomainError(
                .invalidDeclaration,
                "a disaster-recovery declaration needs a reason of 1 to \(Self.longestReason) characters")
        }
        guard declaredAt < until, until.timeIntervalSince(declaredAt) <= Self.longest else {
            throw DomainError(
                .invalidDeclaration,
                "a disaster-recovery activation ends after it is declared and within \(Int(Self.longest / 86_400)) days"
            )
        }
    }
}
