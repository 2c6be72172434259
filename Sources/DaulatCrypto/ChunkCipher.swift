import Crypto

/// AES-256-GCM over one object's chunks, in order: each chunk's nonce carries its number and whether
/// it is the last, and the object's header is the associated data of every one.
struct ChunkCipher: Sendable {
    let header: SealedObjectHeader
    private let key: SymmetricKey
    private let associatedData: [UInt8]
    private(set) var nextChunk: UInt32 = 0

    init(header: SealedObjectHeader, key: SymmetricKey) {
        self.header = header
        self.key = key
        self.associatedData = header.encoded
    }

    /// Appends the chunk's ciphertext and tag to `sealed`.
    mutating func seal(_ chunk: ArraySlice<UInt8>, final: Bool, into sealed: inout [UInt8]) throws {
        let box = try AES.GCM.seal(
            chunk, using: key, nonce: try header.nonce(chunk: nextChunk, final: final),
            authenticating: associatedData)
        sealed.append(contentsOf: box.ciphertext)
        sealed.append(contentsOf: box.tag)
        try advance()
    }

    /// Appends the plaintext of the next chunk (ciphertext and tag) to `plaintext`, if it authenticates.
    mutating func open(_ chunk: ArraySlice<UInt8>, final: Bool, into plaintext: inout [UInt8]) throws {
        try open(chunk, final: final, index: nextChunk, into: &plaintext)
        try advance()
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

    private mutating func advance() throws {
        guard nextChunk < UInt32.max else { throw SealedObjectError.tooLarge }
        nextChunk += 1
    }
}
