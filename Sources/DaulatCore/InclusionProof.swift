/// An RFC 6962 inclusion proof as files and the API carry it (hashes in base64): leaf `leafIdx` of the
/// tree of `treeSize` leaves with root `root`. `daulat proof verify-inclusion` checks it.
public struct InclusionProof: Hashable, Sendable, Codable {
    public var leafIdx: UInt64
    public var treeSize: UInt64
    public var root: String
    public var leafHash: String
    public var proof: [String]

    public init(leafIdx: UInt64, treeSize: UInt64, root: String, leafHash: String, proof: [String]) {
        self.leafIdx = leafIdx
        self.treeSize = treeSize
        self.root = root
        self.leafHash = leafHash
        self.proof = proof
    }

    enum CodingKeys: String, CodingKey { case leafIdx, treeSize, root, leafHash, proof }

    /// A proof of no hashes may be written `null`, as the RFC 6962 test vectors do.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        leafIdx = try container.decode(UInt64.self, forKey: .leafIdx)
        treeSize = try container.decode(UInt64.self, forKey: .treeSize)
        root = try container.decode(String.self, forKey: .root)
        leafHash = try container.decode(String.self, forKey: .leafHash)
        proof = try container.decodeIfPresent([String].self, forKey: .proof) ?? []
    }
}
