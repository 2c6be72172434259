import Foundation

/// The audit log's state as the alliance's log key signs it (Ed25519): how many entries, the RFC 6962
/// root over them, and when. A regulator holding one can check any entry's inclusion and any later
/// head's consistency with it, offline.
public struct SignedTreeHead: Hashable, Sendable, Codable {
    public var size: Int64
    /// Base64 of the 32-byte root.
    public var root: String
    public var timestamp: Date
    /// Base64 of the Ed25519 signature over ``signedBytes``.
    public var signature: String

    public init(size: Int64, root: String, timestamp: Date, signature: String) {
        self.size = size
        self.root = root
        self.timestamp = timestamp
        self.signature = signature
    }

    /// What is signed: a purpose line, then the size, root and time, so that no other signature of
    /// the key passes for a tree head.
    public static func signedBytes(size: Int64, root: String, timestamp: Date) -> Data {
        Data("daulat audit tree head v1\n\(size)\n\(root)\n\(CanonicalJSON.format(timestamp))\n".utf8)
    }

    public var signedBytes: Data { Self.signedBytes(size: size, root: root, timestamp: timestamp) }
}
