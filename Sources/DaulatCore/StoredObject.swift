import Foundation

/// One encrypted file of a dataset, named by the SHA-256 of its bytes, and the hosts holding a copy
/// that their agent checked against that hash.
public struct StoredObject: Hashable, Sendable, Codable {
    public var id: String
    public var datasetID: String
    public var sha256: String
    public var sizeBytes: Int64
    public var createdAt: Date
    public var holders: [String]

    public init(
        id: String, datasetID: String, sha256: String, sizeBytes: Int64, createdAt: Date, holders: [String] = []
    ) {
        self.id = id
        self.datasetID = datasetID
        self.sha256 = sha256
        self.sizeBytes = sizeBytes
        self.createdAt = createdAt
        self.holders = holders
    }
}
