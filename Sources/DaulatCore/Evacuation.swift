import Foundation

/// The removal of one copy from a host where its dataset may no longer be stored: opened when the
/// control plane first sees the copy disallowed, ended when the copy is gone (or allowed again), with
/// whether that happened before the classification's deadline.
public struct Evacuation: Hashable, Sendable, Codable {
    public var id: String
    public var objectID: String
    public var datasetID: String
    public var ownerAgency: String
    public var home: JurisdictionCode
    public var hostID: String
    public var siteID: String
    public var jurisdiction: JurisdictionCode
    /// Why the copy may not stay, in words.
    public var reason: String
    public var state: EvacuationState
    public var startedAt: Date
    public var deadline: Date
    /// Since when no allowed place can take the copy, while that lasts: the copy is kept (it may be the
    /// last one) but refused for reads, and reported.
    public var quarantinedSince: Date?
    /// When the control plane saw the deadline pass with the copy still in place.
    public var deadlineMissedAt: Date?
    public var endedAt: Date?
    /// The home state's latest decision about the copy while it was quarantined, and that decision as
    /// its authority signed it (the evidence anyone can check against the charter).
    public var decision: QuarantineDecision?
    public var signedDecision: String?

    public init(
        id: String, objectID: String, datasetID: String, ownerAgency: String, home: JurisdictionCode,
        hostID: String, siteID: String, jurisdiction: JurisdictionCode, reason: String,
        startedAt: Date, deadline: Date, quarantined: Bool
    ) {
        self.id = id
        self.objectID = objectID
        self.datasetID = datasetID
        self.ownerAgency = ownerAgency
        self.home = home
        self.hostID = hostID
        self.siteID = siteID
        self.jurisdiction = jurisdiction
        self.reason = reason
        self.state = quarantined ? .quarantined : .moving
        self.startedAt = startedAt
        self.deadline = deadline
        self.quarantinedSince = quarantined ? startedAt : nil
    }

    public var isOpen: Bool { endedAt == nil }

    /// Whether its home state decided the copy is to be destroyed (once a copy that stays exists).
    public var isToBeDestroyed: Bool { isOpen && decision?.action == .destroy }

    /// This evacuation with its home state's `decision`, signed as `text`: kept, it is due by the date
    /// the state named; destroyed, it ends when the copy is released.
    public func decided(_ decision: QuarantineDecision, signed text: String) -> Evacuation {
        var decided = self
        decided.decision = decision
        decided.signedDecision = text
        if decision.action == .keep, let until = decision.until {
            decided.deadline = until
            decided.deadlineMissedAt = nil
        }
        return decided
    }

    /// This evacuation once the copy is gone from the host at `time`: met if by the deadline.
    public func ended(at time: Date) -> Evacuation {
        closed(at: time, as: time <= deadline ? .met : .missed)
    }

    /// This evacuation once the copy's record vanished without a release (lost from its host, or its
    /// dataset deleted): it did not leave by evacuation, and is not counted as met.
    public func lost(at time: Date) -> Evacuation {
        closed(at: time, as: .lost)
    }

    /// This evacuation once the copy became allowed where it is (an agreement back in force, a policy
    /// widened): nothing needs to move any more.
    public func withdrawn(at time: Date) -> Evacuation {
        closed(at: time, as: .withdrawn)
    }

    private func closed(at time: Date, as state: EvacuationState) -> Evacuation {
        var closed = self
        closed.endedAt = time
        closed.quarantinedSince = nil
        closed.state = state
        return closed
    }
}
