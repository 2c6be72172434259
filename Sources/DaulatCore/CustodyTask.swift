import Foundation

/// Work the control plane gives a custodian, carried on its heartbeat's reply (``CustodyTaskOrder``): destroy every version
/// of a dataset's key-encryption key (a shred), or rotate it (a new version, every wrapped key moved to
/// it, the older versions destroyed once nothing uses them). The custodian reports it done.
public struct CustodyTask: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable {
        case destroy, rotate
    }

    public var id: String
    public var custodianID: String
    public var datasetID: String
    public var kind: Kind
    public var requestedBy: String
    public var requestedAt: Date
    public var doneAt: Date?
    /// What the custodian reported: the versions destroyed, and for a rotation the version now in use.
    public var outcome: String?

    public init(
        id: String, custodianID: String, datasetID: String, kind: Kind, requestedBy: String, requestedAt: Date,
        doneAt: Date? = nil, outcome: String? = nil
    ) {
        self.id = id
        self.custodianID = custodianID
        self.datasetID = datasetID
        self.kind = kind
        self.requestedBy = requestedBy
        self.requestedAt = requestedAt
        self.doneAt = doneAt
        self.outcome = outcome
    }
}
