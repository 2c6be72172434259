import Foundation

/// The crypto-shredding of a dataset. Asked for, it waits out a pending window, cancellable: the data
/// is still readable, but the dataset takes no new object or change. Then it executes: the control
/// plane drops every wrapped key and refuses reads and unwraps, custodians destroy the dataset's
/// key-encryption keys and agents delete the ciphertext. It completes, and the dataset is gone, once
/// every enrolled custodian has done so and every reporting agent. A copy of the ciphertext kept aside
/// opens for no one: the keys that could open it no longer exist.
public struct DatasetShred: Hashable, Sendable, Codable {
    public enum State: String, Hashable, Sendable, Codable {
        case pending, cancelled, executing, completed
    }

    /// A pending window longer than this is a retention decision, not a shred.
    public static let longestWindow: TimeInterval = 90 * 86_400

    public var id: String
    public var datasetID: String
    public var requestedBy: String
    public var requestedAt: Date
    /// When the pending window ends and the shred executes, unless cancelled first.
    public var executeAt: Date
    public var cancelledAt: Date?
    public var cancelledBy: String?
    public var executedAt: Date?
    public var completedAt: Date?

    public init(
        id: String, datasetID: String, requestedBy: String, requestedAt: Date, executeAt: Date,
        cancelledAt: Date? = nil, cancelledBy: String? = nil, executedAt: Date? = nil, completedAt: Date? = nil
    ) {
        self.id = id
        self.datasetID = datasetID
        self.requestedBy = requestedBy
        self.requestedAt = requestedAt
        self.executeAt = executeAt
        self.cancelledAt = cancelledAt
        self.cancelledBy = cancelledBy
        self.executedAt = executedAt
        self.completedAt = completedAt
    }

    public var state: State {
        if completedAt != nil { return .completed }
        if executedAt != nil { return .executing }
        if cancelledAt != nil { return .cancelled }
        return .pending
    }
}
