import Crypto

/// The hashes of an RFC 6962 Merkle tree (section 2.1): a leaf is SHA-256(0x00 ‖ entry), an interior
/// node SHA-256(0x01 ‖ left ‖ right). The prefixes keep a leaf from ever passing for a node.
public enum MerkleHash {
    public static let size = 32

    /// The root of the empty tree: SHA-256 of nothing.
    public static var empty: [UInt8] { Array(SHA256.hash(data: [UInt8]())) }

    public static func leaf(_ entry: some Sequence<UInt8>) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: [0x00])
        hasher.update(data: Array(entry))
        return Array(hasher.finalize())
    }

    public static func node(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: [0x01])
        hasher.update(data: left)
        hasher.update(data: right)
        return Array(hasher.finalize())
    }
}
