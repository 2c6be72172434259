/// An RFC 6962 Merkle tree over leaf hashes held in memory: its root, and the inclusion and
/// consistency proofs of section 2.1 that ``MerkleProof`` checks.
public struct MerkleTree: Sendable {
    public let leafHashes: [[UInt8]]

    public init(leafHashes: [[UInt8]]) {
        self.leafHashes = leafHashes
    }

    public var size: Int { leafHashes.count }

    public var root: [UInt8] { root(of: 0..<size) }

    /// MTH(D[range]).
    public func root(of range: Range<Int>) -> [UInt8] {
        switch range.count {
        case 0: return MerkleHash.empty
        case 1: return leafHashes[range.lowerBound]
        default:
            let split = range.lowerBound + Self.largestPowerOfTwo(below: range.count)
            return MerkleHash.node(root(of: range.lowerBound..<split), root(of: split..<range.upperBound))
        }
    }

    /// PATH(index, D[size]): the siblings from leaf `index` up to the root, lowest first.
    public func inclusionProof(index: Int) -> [[UInt8]] {
        precondition((0..<size).contains(index), "leaf \(index) is not in a tree of \(size)")
        return path(index, 0..<size)
    }

    /// PROOF(size1, D[size]): what shows that this tree extends its first `size1` leaves.
    public func consistencyProof(from size1: Int) -> [[UInt8]] {
        precondition(size1 >= 1 && size1 <= size, "no consistency proof from \(size1) to \(size)")
        return subproof(size1, 0..<size, whole: true)
    }

    private func path(_ index: Int, _ range: Range<Int>) -> [[UInt8]] {
        guard range.count > 1 else { return [] }
        let split = Self.largestPowerOfTwo(below: range.count)
        let middle = range.lowerBound + split
        if index < split {
            return path(index, range.lowerBound..<middle) + [root(of: middle..<range.upperBound)]
        }
        return path(index - split, middle..<range.upperBound) + [root(of: range.lowerBound..<middle)]
    }

    /// SUBPROOF(m, D[range], whole): `whole` while the first tree's root is the one being proven as is.
    private func subproof(_ m: Int, _ range: Range<Int>, whole: Bool) -> [[UInt8]] {
        if m == range.count { return whole ? [] : [root(of: range)] }
        let split = Self.largestPowerOfTwo(below: range.count)
        let middle = range.lowerBound + split
        if m <= split {
            return subproof(m, range.lowerBound..<middle, whole: whole) + [root(of: middle..<range.upperBound)]
        }
        return subproof(m - split, middle..<range.upperBound, whole: false) + [root(of: range.lowerBound..<middle)]
    }

    /// The largest power of two strictly below `count` (count ≥ 2).
    static func largestPowerOfTwo(below count: Int) -> Int {
        1 << (Int.bitWidth - 1 - (count - 1).leadingZeroBitCount)
    }
}
