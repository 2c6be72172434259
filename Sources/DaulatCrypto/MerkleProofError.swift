/// Why a Merkle proof does not hold, in words a regulator can act on.
public enum MerkleProofError: Error, Equatable, Sendable, CustomStringConvertible {
    case indexBeyondSize(index: UInt64, size: UInt64)
    case hashSize(what: String, got: Int)
    case proofLength(got: Int, want: Int)
    case rootMismatch(what: String)
    case sizesOutOfOrder(size1: UInt64, size2: UInt64)
    case emptyFirstTree
    case proofNotEmpty(Int)

    public var description: String {
        switch self {
        case .indexBeyondSize(let index, let size):
            "leaf index \(index) is not in a tree of size \(size)"
        case .hashSize(let what, let got):
            "the \(what) is \(got) bytes; a SHA-256 hash is \(MerkleHash.size)"
        case .proofLength(let got, let want):
            "the proof has \(got) hashes; one for these sizes has \(want)"
        case .rootMismatch(let what):
            "the \(what) computed from the proof does not match the one given"
        case .sizesOutOfOrder(let size1, let size2):
            "the first tree (size \(size1)) is larger than the second (size \(size2))"
        case .emptyFirstTree:
            "consistency with an empty tree proves nothing: every tree extends it"
        case .proofNotEmpty(let count):
            "trees of the same size need no proof, but \(count) hashes were given"
        }
    }
}
