import DaulatCrypto
import Testing

/// Proofs made by ``MerkleTree`` for every leaf and every earlier size of trees of 1 to 70 leaves
/// hold, and fail once any hash, index or size in them is changed.
@Suite("Merkle proofs: made and checked")
struct MerkleTreeTests {
    static func tree(_ size: Int) -> MerkleTree {
        MerkleTree(leafHashes: (0..<size).map { MerkleHash.leaf(Array("entry \($0)".utf8)) })
    }

    @Test("every inclusion proof holds; a changed hash, index or size does not")
    func inclusion() throws {
        for size in 1...70 {
            let tree = Self.tree(size)
            let root = tree.root
            for index in 0..<size {
                let proof = tree.inclusionProof(index: index)
                let leaf = tree.leafHash(at: index)
                try MerkleProof.verifyInclusion(
                    index: UInt64(index), size: UInt64(size), leafHash: leaf, proof: proof, root: root)
                #expect(throws: MerkleProofError.self) {
                    try MerkleProof.verifyInclusion(
                        index: UInt64(index), size: UInt64(size), leafHash: MerkleHash.leaf([1]), proof: proof,
                        root: root)
                }
                if size > 1 {
                    #expect(throws: MerkleProofError.self) {
                        try MerkleProof.verifyInclusion(
                            index: UInt64((index + 1) % size), size: UInt64(size), leafHash: leaf, proof: proof,
                            root: root)
                    }
                }
                for position in proof.indices {
                    var tampered = proof
                    tampered[position][0] ^= 1
                    #expect(throws: MerkleProofError.self) {
                        try MerkleProof.verifyInclusion(
                            index: UInt64(index), size: UInt64(size), leafHash: leaf, proof: tampered, root: root)
                    }
                }
            }
        }
    }

    @Test("every consistency proof holds; a changed hash or root does not")
    func consistency() throws {
        for size2 in 1...70 {
            let tree = Self.tree(size2)
            for size1 in 1...size2 {
                let root1 = tree.prefix(size1).root
                let proof = tree.consistencyProof(from: size1)
                try MerkleProof.verifyConsistency(
                    size1: UInt64(size1), size2: UInt64(size2), proof: proof, root1: root1, root2: tree.root)
                #expect(throws: MerkleProofError.self) {
                    try MerkleProof.verifyConsistency(
                        size1: UInt64(size1), size2: UInt64(size2), proof: proof,
                        root1: tree.root == root1 ? [0] : tree.root,
                        root2: tree.root)
                }
                for position in proof.indices {
                    var tampered = proof
                    tampered[position][31] ^= 0x80
                    #expect(throws: MerkleProofError.self) {
                        try MerkleProof.verifyConsistency(
                            size1: UInt64(size1), size2: UInt64(size2), proof: tampered, root1: root1,
                            root2: tree.root)
                    }
                }
            }
        }
    }

    /// MTH(D[n]) as RFC 6962 defines it, with nothing kept: what the kept subtrees must agree with.
    static func definitionRoot(_ leaves: ArraySlice<[UInt8]>) -> [UInt8] {
        switch leaves.count {
        case 0: return MerkleHash.empty
        case 1: return leaves.first!
        default:
            var split = 1
            while split * 2 < leaves.count { split *= 2 }
            let middle = leaves.startIndex + split
            return MerkleHash.node(definitionRoot(leaves[..<middle]), definitionRoot(leaves[middle...]))
        }
    }

    @Test("a tree grown a leaf at a time, and every prefix of it, has the root of the definition")
    func grownAndPrefixRoots() throws {
        let leaves = (0..<300).map { MerkleHash.leaf(Array("entry \($0)".utf8)) }
        var grown = MerkleTree()
        for (count, leaf) in leaves.enumerated() {
            #expect(grown.root == Self.definitionRoot(leaves[..<count]), "\(count) leaves")
            grown.append(leafHash: leaf)
        }
        for count in 0...300 {
            let prefix = grown.prefix(count)
            #expect(prefix.size == count)
            #expect(prefix.root == Self.definitionRoot(leaves[..<count]), "prefix of \(count)")
            for index in stride(from: 0, to: count, by: 37) {
                #expect(prefix.leafHash(at: index) == leaves[index])
                // Checked by the verifier against the definition's root, not against this implementation.
                try MerkleProof.verifyInclusion(
                    index: UInt64(index), size: UInt64(count), leafHash: leaves[index],
                    proof: prefix.inclusionProof(index: index), root: Self.definitionRoot(leaves[..<count]))
            }
        }
    }

    @Test("across the boundaries of its storage chunks, roots and proofs are those of the definition")
    func acrossChunks() throws {
        let leaves = (0..<10_000).map { MerkleHash.leaf(Array("entry \($0)".utf8)) }
        var grown = MerkleTree()
        var kept: [MerkleTree] = []
        for leaf in leaves {
            grown.append(leafHash: leaf)
            // Copies taken while it grows stay as they were.
            if grown.size % 4_096 == 1 { kept.append(grown) }
        }
        for copy in kept {
            #expect(copy.root == Self.definitionRoot(leaves[..<copy.size]), "a copy of \(copy.size) leaves")
        }
        for size in [4_095, 4_096, 4_097, 8_192, 8_193, 10_000] {
            let prefix = grown.prefix(size)
            let root = Self.definitionRoot(leaves[..<size])
            #expect(prefix.root == root, "\(size) leaves")
            for index in [0, 4_095, 4_096, size - 1] where index < size {
                try MerkleProof.verifyInclusion(
                    index: UInt64(index), size: UInt64(size), leafHash: leaves[index],
                    proof: prefix.inclusionProof(index: index), root: root)
            }
            try MerkleProof.verifyConsistency(
                size1: 4_097, size2: UInt64(max(size, 4_097)),
                proof: grown.prefix(max(size, 4_097)).consistencyProof(from: 4_097),
                root1: Self.definitionRoot(leaves[..<4_097]), root2: Self.definitionRoot(leaves[..<max(size, 4_097)]))
        }
    }

    @Test("the empty tree's root is SHA-256 of nothing")
    func emptyRoot() {
        #expect(
            MerkleTree(leafHashes: []).root.map { String(format: "%02x", $0) }.joined()
                == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}
