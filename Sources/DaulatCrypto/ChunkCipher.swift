import Crypto

/// AES-256-GCM over one object's chunks, in order: each chunk's nonce carries its number and whether
/// it is the last, and the object's header is the associated data of every one.
struct ChunkCipher: Sendable {
    let header: SealedObjectHeader
    private let key: SymmetricKey
    private let associatedData: [UInt8]
    /// Wider than the 32-bit counter in the nonce, so that running out is seen before a nonce repeats.
    private(set) var nextChunk: UInt64 = 0

    init(header: SealedObjectHeader, key: SymmetricKey) throws {
        guard key.bitCount == 256 else { throw SealedObjectError.invalidDataKey(bits: key.bitCount) }
        self.header = header
        self.key = key
        self.associatedData = header.encoded
    }

    /// Appends the chunk's ciphertext and tag to `sealed`.
    mutating func seal(_ chunk: ArraySlice<UInt8>, final: Bool, into sealed: inout [UInt8]) throws {
        let index = try claimIndex()
        let box = try AES.GCM.seal(
            chunk, using: key, nonce: try header.nonce(chunk: index, final: final), authenticating: associatedData)
        sealed.append(contentsOf: box.ciphertext)
        sealed.append(contentsOf: box.tag)
    }

    /// Appends the plaintext of the next chunk (ciphertext and tag) to `plaintext`, if it authenticates.
    mutating func open(_ chunk: ArraySlice<UInt8>, final: Bool, into plaintext: inout [UInt8]) throws {
        try open(chunk, final: final, index: try claimIndex(), into: &plaintext)
    }

    /// Opens `chunk` as chunk `index` without moving on: to tell a cut-off object from a changed one.
    func open(_ chunk: ArraySlice<UInt8>, final: Bool, index: UInt32, into plaintext: inout [UInt8]) throws {
        do {
            let split = chunk.endIndex - SealedObjectHeader.tagSize
            let box = try AES.GCM.SealedBox(
                nonce: try header.nonce(chunk: index, final: final), ciphertext: chunk[..<split],
                tag: chunk[split...])
            plaintext.append(contentsOf: try AES.GCM.open(box, using: key, authenticating: associatedData))
        } catch {
            throw SealedObjectError.chunkRejected(index: index)
        }
    }

    /// The next chunk's number, refused before any use once the 2^32 numbers are spent.
    private mutating func claimIndex() throws -> UInt32 {
        guard let index = UInt32(exactly: nextChunk) else { throw SealedObjectError.tooLarge }
        nextChunk += 1
        return index
    }
}
