import DaulatCore

/// `GET /v1/datasets/{id}/shred`: the dataset's shreds, and for one executing, who has yet to act.
public struct ShredStatus: Codable, Sendable {
    public var datasetID: String
    public var shreds: [DatasetShred]
    /// The custodians' orders to destroy the dataset's keys, done or not.
    public var destructions: [CustodyTask]
    /// Hosts still holding a copy, whose agents are to delete it.
    public var holders: [String]
}
