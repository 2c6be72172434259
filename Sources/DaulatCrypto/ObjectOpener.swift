import Crypto

/// Opens a sealed object's chunks as they arrive, releasing each chunk's plaintext only once it has
/// authenticated. A chunk is known not to be the last only when more bytes follow it, so one sealed
/// chunk is kept back until then. The object is whole only when `finish` returns: a caller that must
/// never expose a partial plaintext (a file) writes aside and keeps the result only after `finish`.
/// After an error it refuses to go on.
public struct ObjectOpener: ~Copyable, Sendable {
    public var header: SealedObjectHeader { cipher.header }
    private var cipher: ChunkCipher
    private var chunks: HeldBackChunks
    private var closed = false

    /// `header`: as decoded from the object's first bytes; `objectID` and `keyID`: what the reader means
    /// to open, so that another object (or one sealed under another key) is refused before any chunk.
    public init(header: SealedObjectHeader, dataKey: SymmetricKey, objectID: String, keyID: String) throws {
        // Byte for byte: Unicode-equivalent names are still other names.
        guard header.objectID.utf8.elementsEqual(objectID.utf8) else {
            throw SealedObjectError.wrongObject(expected: objectID, found: header.objectID)
        }
        guard header.keyID.utf8.elementsEqual(keyID.utf8) else {
            throw SealedObjectError.wrongKey(expected: keyID, found: header.keyID)
        }
        cipher = try ChunkCipher(header: header, key: dataKey)
        chunks = HeldBackChunks(size: header.chunkSize + SealedObjectHeader.tagSize)
    }

    /// Appends to `plaintext` every chunk `sealed` (bytes after the header) shows not to be the last.
    public mutating func open(_ sealed: ArraySlice<UInt8>, into plaintext: inout [UInt8]) throws {
        guard !closed else { throw SealedObjectError.closed }
        var cipher = self.cipher
        defer { self.cipher = cipher }
        do {
            try chunks.feed(sealed) { try cipher.open($0, final: false, into: &plaintext) }
        } catch {
            closed = true
            throw error
        }
    }

    public mutating func open(_ sealed: [UInt8], into plaintext: inout [UInt8]) throws {
        try open(sealed[...], into: &plaintext)
    }

    /// Appends the plaintext of the last chunk, once the whole object has been read.
    public mutating func finish(into plaintext: inout [UInt8]) throws {
        guard !closed else { throw SealedObjectError.closed }
        closed = true
        let last = chunks.rest()[...]
        guard let index = UInt32(exactly: cipher.nextChunk) else { throw SealedObjectError.tooLarge }
        // Less than a tag left: the object ends where a chunk should be.
        guard last.count >= SealedObjectHeader.tagSize else { throw SealedObjectError.truncated(afterChunks: index) }
        do {
            try cipher.open(last, final: true, into: &plaintext)
        } catch {
            // A whole chunk that opens as one that is not the last: the rest was cut off.
            var discarded: [UInt8] = []
            if last.count == chunks.size, (try? cipher.open(last, final: false, index: index, into: &discarded)) != nil
            {
                throw SealedObjectError.truncated(afterChunks: index + 1)
            }
            throw error
        }
    }
}
