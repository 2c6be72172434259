/// An RFC 6962 consistency proof as files and the API carry it (hashes in base64): the tree of `size2`
/// leaves with root `root2` extends the tree of `size1` with root `root1`. `daulat proof
/// verify-consistency` checks it.
public struct ConsistencyProof: Hashable, Sendable, Codable {
    public var size1: UInt64
    public var size2: UInt64
    public var root1: String
    public var root2: String
    public var proof: [String]

    public init(size1: UInt64, size2: UInt64, root1: String, root2: String, proof: [String]) {
        self.size1 = size1
        self.size2 = size2
        self.root1 = root1
        self.root2 = root2
        self.proof = proof
    }

    enum CodingKeys: String, CodingKey { case size1, size2, root1, root2, proof }

    /// A proof of no hashes may be written `null`, as the RFC 6962 test vectors do.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        size1 = try container.decode(UInt64.self, forKey: .size1)
        size2 = try container.decode(UInt64.self, forKey: .size2)
        root1 = try container.decode(String.self, forKey: .root1)
        root2 = try container.decode(String.self, forKey: .root2)
        proof = try container.decodeIfPresent([String].self, forKey: .proof) ?? []
    }
}
