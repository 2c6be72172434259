/// Checks RFC 6962 inclusion and consistency proofs (section 2.1.1 and 2.1.2), as anyone holding only
/// a signed tree head can: whether an entry is in the log, and whether a later log extends an earlier
/// one without changing anything in it.
public enum MerkleProof {
    /// Throws unless `leafHash` is leaf `index` of the tree of `size` leaves whose root is `root`.
    public static func verifyInclusion(
        index: UInt64, size: UInt64, leafHash: [UInt8], proof: [[UInt8]], root: [UInt8]
    ) throws(MerkleProofError) {
        guard root == (try rootFromInclusion(index: index, size: size, leafHash: leafHash, proof: proof)) else {
            throw .rootMismatch(what: "root")
        }
    }

    /// The root that `proof` makes of leaf `index` in a tree of `size` leaves.
    public static func rootFromInclusion(index: UInt64, size: UInt64, leafHash: [UInt8], proof: [[UInt8]])
        throws(MerkleProofError) -> [UInt8]
    {
        guard index < size else { throw .indexBeyondSize(index: index, size: size) }
        guard leafHash.count == MerkleHash.size else { throw .hashSize(what: "leaf hash", got: leafHash.count) }
        if let odd = proof.first(where: { $0.count != MerkleHash.size }) {
            throw .hashSize(what: "proof hash", got: odd.count)
        }
        let (inner, border) = decomposition(index: index, size: size)
        guard proof.count == inner + border else { throw .proofLength(got: proof.count, want: inner + border) }
        let hash = chainInner(leafHash, proof[..<inner], index: index)
        return chainBorderRight(hash, proof[inner...])
    }

    /// Throws unless the tree of `size2` leaves with root `root2` extends the tree of `size1` leaves with
    /// root `root1`.
    public static func verifyConsistency(
        size1: UInt64, size2: UInt64, proof: [[UInt8]], root1: [UInt8], root2: [UInt8]
    ) throws(MerkleProofError) {
        guard size1 <= size2 else { throw .sizesOutOfOrder(size1: size1, size2: size2) }
        guard size1 > 0 else { throw .emptyFirstTree }
        if size1 == size2 {
            guard proof.isEmpty else { throw .proofNotEmpty(proof.count) }
            guard root1 == root2 else { throw .rootMismatch(what: "second root") }
            return
        }
        guard !proof.isEmpty else { throw .proofLength(got: 0, want: 1) }
        // Every hash whole: a root of the wrong length must not be split across the proof's hashes.
        for (what, hash) in [("first root", root1), ("second root", root2)] + proof.map({ ("proof hash", $0) })
        where hash.count != MerkleHash.size {
            throw .hashSize(what: what, got: hash.count)
        }
        var (inner, border) = decomposition(index: size1 - 1, size: size2)
        let shift = size1.trailingZeroBitCount
        inner -= shift
        // The proof starts with the root of the subtree of 2^shift leaves, unless that subtree is the
        // whole first tree, whose root is given.
        let (seed, start) = size1 == UInt64(1) << shift ? (root1, 0) : (proof[0], 1)
        guard proof.count == start + inner + border else {
            throw .proofLength(got: proof.count, want: start + inner + border)
        }
        let path = proof[start...]
        let innerPath = path.prefix(inner)
        let borderPath = path.dropFirst(inner)
        let mask = (size1 - 1) >> shift
        guard chainBorderRight(chainInnerRight(seed, innerPath, index: mask), borderPath) == root1 else {
            throw .rootMismatch(what: "first root")
        }
        guard chainBorderRight(chainInner(seed, innerPath, index: mask), borderPath) == root2 else {
            throw .rootMismatch(what: "second root")
        }
    }

    /// How many of an inclusion proof's hashes are below the point where the leaf's path and the last
    /// leaf's part (inner), and how many are the left siblings above it (border).
    static func decomposition(index: UInt64, size: UInt64) -> (inner: Int, border: Int) {
        let inner = UInt64.bitWidth - (index ^ (size - 1)).leadingZeroBitCount
        return (inner, (index >> inner).nonzeroBitCount)
    }

    private static func chainInner(_ seed: [UInt8], _ proof: ArraySlice<[UInt8]>, index: UInt64) -> [UInt8] {
        var hash = seed
        for (level, sibling) in proof.enumerated() {
            hash = (index >> level) & 1 == 0 ? MerkleHash.node(hash, sibling) : MerkleHash.node(sibling, hash)
        }
        return hash
    }

    /// As ``chainInner`` but only where the path comes from the right: the hashes the first tree had.
    private static func chainInnerRight(_ seed: [UInt8], _ proof: ArraySlice<[UInt8]>, index: UInt64) -> [UInt8] {
        var hash = seed
        for (level, sibling) in proof.enumerated() where (index >> level) & 1 == 1 {
            hash = MerkleHash.node(sibling, hash)
        }
        return hash
    }

    private static func chainBorderRight(_ seed: [UInt8], _ proof: ArraySlice<[UInt8]>) -> [UInt8] {
        proof.reduce(seed) { MerkleHash.node($1, $0) }
    }
}
