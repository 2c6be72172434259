import DaulatCrypto
import DaulatTestSupport
import Foundation
import Testing

/// The RFC 6962 test vectors of transparency-dev/merkle (``SharedTestData/rfc6962(_:)``): every valid
/// proof holds, every deliberately broken one is refused, and the proofs this tree makes are the
/// vectors' own.
@Suite("Merkle proofs: RFC 6962 test vectors")
struct MerkleVectorTests {
    /// The leaves the vectors were made from (transparency-dev/merkle's test data).
    static let leaves: [[UInt8]] = [
        [], [0x00], [0x10], [0x20, 0x21], [0x30, 0x31], [0x40, 0x41, 0x42, 0x43],
        [0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57], Array(0x60...0x6f),
    ]

    struct Vector: Decodable {
        let leafIdx: UInt64?
        let treeSize: UInt64?
        let root: String?
        let leafHash: String?
        let size1: UInt64?
        let size2: UInt64?
        let root1: String?
        let root2: String?
        let proof: [String]?
        let desc: String
        let wantErr: Bool
    }

    static func vectors(_ kind: String) throws -> [(path: String, vector: Vector)] {
        let root = try SharedTestData.rfc6962(kind)
        let files = try SharedTestData.jsonFiles(under: root)
        return try files.map { file in
            (
                file.path.replacingOccurrences(of: root.path + "/", with: ""),
                try JSONDecoder().decode(Vector.self, from: Data(contentsOf: file))
            )
        }
    }

    static func bytes(_ text: String?) -> [UInt8] { Data(base64Encoded: text ?? "").map { [UInt8]($0) } ?? [] }

    @Test("every inclusion vector: valid ones hold, broken ones are refused")
    func inclusion() throws {
        let vectors = try Self.vectors("inclusion")
        #expect(vectors.count > 50)
        for (path, vector) in vectors {
            var failure: MerkleProofError?
            do throws(MerkleProofError) {
                try MerkleProof.verifyInclusion(
                    index: vector.leafIdx ?? 0, size: vector.treeSize ?? 0, leafHash: Self.bytes(vector.leafHash),
                    proof: (vector.proof ?? []).map(Self.bytes), root: Self.bytes(vector.root))
            } catch {
                failure = error
            }
            #expect(
                (failure != nil) == vector.wantErr, "\(path) (\(vector.desc)): \(failure.map { "\($0)" } ?? "holds")")
        }
    }

    @Test("every consistency vector: valid ones hold, broken ones are refused")
    func consistency() throws {
        let vectors = try Self.vectors("consistency")
        #expect(vectors.count > 50)
        for (path, vector) in vectors {
            var failure: MerkleProofError?
            do throws(MerkleProofError) {
                try MerkleProof.verifyConsistency(
                    size1: vector.size1 ?? 0, size2: vector.size2 ?? 0, proof: (vector.proof ?? []).map(Self.bytes),
                    root1: Self.bytes(vector.root1), root2: Self.bytes(vector.root2))
            } catch {
                failure = error
            }
            #expect(
                (failure != nil) == vector.wantErr, "\(path) (\(vector.desc)): \(failure.map { "\($0)" } ?? "holds")")
        }
    }

    @Test("the proofs this tree makes of the vectors' leaves are the vectors' happy paths")
    func generated() throws {
        for (path, vector) in try Self.vectors("inclusion") where path.hasSuffix("/happy-path.json") {
            let size = Int(try #require(vector.treeSize))
            let tree = MerkleTree(leafHashes: Self.leaves.prefix(size).map { MerkleHash.leaf($0) })
            #expect(tree.root == Self.bytes(vector.root), "\(path)")
            #expect(
                tree.inclusionProof(index: Int(try #require(vector.leafIdx))) == (vector.proof ?? []).map(Self.bytes))
        }
        for (path, vector) in try Self.vectors("consistency") where path.hasSuffix("/happy-path.json") {
            let size2 = Int(try #require(vector.size2))
            let tree = MerkleTree(leafHashes: Self.leaves.prefix(size2).map { MerkleHash.leaf($0) })
            #expect(tree.root == Self.bytes(vector.root2), "\(path)")
            #expect(
                tree.consistencyProof(from: Int(try #require(vector.size1))) == (vector.proof ?? []).map(Self.bytes),
                "\(path)")
        }
    }
}
