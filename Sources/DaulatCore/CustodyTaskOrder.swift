import Foundation

/// A custodian's open tasks as the control plane signs them on a heartbeat's reply: for this
/// custodian, at this time, so that a list captured once can be neither sent to another custodian nor
/// replayed later.
public struct CustodyTaskOrder: Hashable, Sendable, Codable {
    /// What the control plane's signature on an order is for.
    public static let signaturePurpose = "custody tasks"
    /// How far an order's time may be from the custodian's clock.
    public static let freshness: TimeInterval = 300

    public var custodianID: String
    public var issuedAt: Date
    public var tasks: [CustodyTask]

    public init(custodianID: String, issuedAt: Date, tasks: [CustodyTask]) {
        self.custodianID = custodianID
        self.issuedAt = issuedAt
        self.tasks = tasks
    }

    /// Whether the order is for `custodianID` and was issued within ``freshness`` of `now`.
    public func isFor(_ custodianID: String, at now: Date) -> Bool {
        self.custodianID == custodianID && abs(now.timeIntervalSince(issuedAt)) <= Self.freshness
    }
}
