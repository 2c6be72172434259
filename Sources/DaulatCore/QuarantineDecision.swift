import Foundation

/// A dataset's home state's decision about one quarantined copy, signed by that state's authority: the
/// operator cannot keep a copy abroad past its deadline, nor destroy one, on its own word.
public struct QuarantineDecision: Codable, Sendable, Hashable {
    public static let signaturePurpose = "quarantine-decision"
    /// The longest a state may keep a quarantined copy in place by one decision.
    public static let longestKeep: TimeInterval = 3 * 365 * 86_400

    public var evacuationID: String
    public var objectID: String
    public var hostID: String
    /// The home state deciding; its authority signs.
    public var jurisdiction: JurisdictionCode
    public var action: QuarantineAction
    /// For ``QuarantineAction/keep``: until when; nil for ``QuarantineAction/destroy``.
    public var until: Date?
    /// When it was signed: a later decision replaces an earlier one, never the other way round.
    public var issuedAt: Date

    public init(
        evacuationID: String, objectID: String, hostID: String, jurisdiction: JurisdictionCode,
        action: QuarantineAction, until: Date?, issuedAt: Date
    ) {
        self.evacuationID = evacuationID
        self.objectID = objectID
        self.hostID = hostID
        self.jurisdiction = jurisdiction
        self.action = action
        self.until = until
        self.issuedAt = issuedAt
    }

    /// Whether it decides about `evacuation`'s copy, by the state whose dataset it is.
    public func isAbout(_ evacuation: Evacuation) -> Bool {
        evacuationID == evacuation.id && objectID == evacuation.objectID && hostID == evacuation.hostID
            && jurisdiction == evacuation.home
    }

    public func validate() throws(DomainError) {
        switch action {
        case .keep:
            guard let until, until > issuedAt, until.timeIntervalSince(issuedAt) <= Self.longestKeep else {
                throw DomainError(
                    .invalidQuarantineDecision,
                    "a decision to keep a copy names a date after it is signed, at most three years on")
            }
        case .destroy:
            guard until == nil else {
                throw DomainError(.invalidQuarantineDecision, "a decision to destroy a copy names no date")
            }
        }
    }
}
