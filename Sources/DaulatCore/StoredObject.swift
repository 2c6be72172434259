import Foundation

/// One encrypted file of a dataset, with the SHA-256 its bytes must have, and the hosts holding a copy
/// that came to them through a ticket and that their agent checked against that hash.
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

    /// `obj-` and 20 lowercase hex digits, as clients make them: safe as a file name on an agent.
    public static func isValidID(_ id: String) -> Bool {
        id.utf8.count == 24 && id.hasPrefix("obj-")
            && id.utf8.dropFirst(4).allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
