import DaulatCore

/// What a copy on an agent's disk is: the object it belongs to and the hash its bytes must have. A copy
/// is its object's alone: two objects with the same bytes are two files, so nothing done to one (a
/// release, a shred, a scrub) touches the other, and a ticket for one never reads the other.
public struct BlobName: Hashable, Sendable, Comparable {
    public let objectID: String
    public let sha256: String

    /// Nil unless `objectID` is an object id and `sha256` a hash: the name is used as a file name.
    public init?(objectID: String, sha256: String) {
        guard StoredObject.isValidID(objectID), Hex.isSHA256(sha256) else { return nil }
        self.objectID = objectID
        self.sha256 = sha256
    }

    /// `<object id>.<sha256>`.
    public var fileName: String { "\(objectID).\(sha256)" }

    /// The name of the file called `fileName`, or nil when it is not a copy's.
    public init?(fileName: String) {
        let parts = fileName.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        self.init(objectID: String(parts[0]), sha256: String(parts[1]))
    }

    public static func < (lhs: BlobName, rhs: BlobName) -> Bool { lhs.fileName < rhs.fileName }
}
