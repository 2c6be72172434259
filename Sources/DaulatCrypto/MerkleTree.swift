/// An RFC 6962 Merkle tree over leaf hashes held in memory, grown a leaf at a time: its root, and the
/// inclusion and consistency proofs of section 2.1 that ``MerkleProof`` checks.
///
/// Every complete subtree is hashed once, when its last leaf arrives, and kept. RFC 6962 splits any
/// tree into complete subtrees on the left and a smaller tree on the right, so a root or a proof
/// takes O(log² n) hashes from what is kept rather than O(n), and a tree of a million entries costs
/// 64 MB (its leaves and their subtrees, 32 bytes each). They are kept in chunks of 4,096, so that
/// growing a tree while a copy of it is in use copies one chunk and the list of chunks, not the tree.
public struct MerkleTree: Sendable {
    static let chunkNodes = 4_096
    /// `levels[k]` holds, 32 bytes each and in chunks, the roots of the complete subtrees of 2^k
    /// leaves in order: node i covers leaves i·2^k ..< (i+1)·2^k. `levels[0]` is the leaf hashes.
    private var levels: [[[UInt8]]] = [[]]
    /// How many nodes each level holds.
    private var counts: [Int] = [0]
    /// The leaves this value describes: a prefix of a longer tree shares its subtrees.
    public private(set) var size = 0

    public init() {}

    public init(leafHashes: [[UInt8]]) {
        for leaf in leafHashes { append(leafHash: leaf) }
    }

    /// Adds a leaf at the end, and every subtree it completes.
    public mutating func append(leafHash: [UInt8]) {
        precondition(leafHash.count == 32, "a leaf hash is 32 bytes")
        precondition(size == counts[0], "only the whole tree grows, not a prefix of it")
        push(leafHash, level: 0)
        size += 1
        var level = 0
        var index = size - 1
        // A node with an odd index is a right child: its parent is complete now.
        while index % 2 == 1 {
            let parent = MerkleHash.node(node(level, index - 1), node(level, index))
            level += 1
            index /= 2
            push(parent, level: level)
        }
    }

    private mutating func push(_ hash: [UInt8], level: Int) {
        if levels.count == level {
            levels.append([])
            counts.append(0)
        }
        if counts[level] % Self.chunkNodes == 0 {
            var chunk: [UInt8] = []
            chunk.reserveCapacity(Self.chunkNodes * 32)
            levels[level].append(chunk)
        }
        levels[level][levels[level].count - 1] += hash
        counts[level] += 1
    }

    /// The tree of the first `count` leaves, sharing this one's storage.
    public func prefix(_ count: Int) -> MerkleTree {
        precondition((0...size).contains(count), "no prefix of \(count) leaves in a tree of \(size)")
        var prefix = self
        prefix.size = count
        return prefix
    }

    public func leafHash(at index: Int) -> [UInt8] {
        precondition((0..<size).contains(index), "leaf \(index) is not in a tree of \(size)")
        return node(0, index)
    }

    public var root: [UInt8] { root(of: 0..<size) }

    /// MTH(D[range]).
    public func root(of range: Range<Int>) -> [UInt8] {
        let count = range.count
        if count == 0 { return MerkleHash.empty }
        if count & (count - 1) == 0 && range.lowerBound % count == 0 {
            return node(count.trailingZeroBitCount, range.lowerBound / count)
        }
        let split = range.lowerBound + Self.largestPowerOfTwo(below: count)
        return MerkleHash.node(root(of: range.lowerBound..<split), root(of: split..<range.upperBound))
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

    private func node(_ level: Int, _ index: Int) -> [UInt8] {
        let offset = (index % Self.chunkNodes) * 32
        return Array(levels[level][index / Self.chunkNodes][offset..<(offset + 32)])
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
