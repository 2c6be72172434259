import Crypto

/// Seals a stream of plaintext into a sealed object, a chunk at a time: memory holds at most one chunk
/// and what the caller hands over, whatever the object's size. Write `header.encoded`, then everything
/// `seal` appends, then what `finish` appends.
public struct ObjectSealer: Sendable {
    public var header: SealedObjectHeader { cipher.header }
    private var cipher: ChunkCipher
    private var chunks: HeldBackChunks
    private var finished = false

    /// `dataKey`: a fresh 256-bit key for this object alone.
    public init(header: SealedObjectHeader, dataKey: SymmetricKey) throws {
        guard dataKey.bitCount == 256 else { throw SealedObjectError.malformedHeader("the data key is not 256 bits") }
        cipher = ChunkCipher(header: header, key: dataKey)
        chunks = HeldBackChunks(size: header.chunkSize)
    }

    /// Appends to `sealed` the chunks `plaintext` completes, possibly none. A caller that reuses
    /// `sealed` (emptied, capacity kept) allocates nothing per call.
    public mutating func seal(_ plaintext: ArraySlice<UInt8>, into sealed: inout [UInt8]) throws {
        precondition(!finished, "sealing after finish()")
        var cipher = self.cipher
        defer { self.cipher = cipher }
        try chunks.feed(plaintext) { try cipher.seal($0, final: false, into: &sealed) }
    }

    public mutating func seal(_ plaintext: [UInt8], into sealed: inout [UInt8]) throws {
        try seal(plaintext[...], into: &sealed)
    }

    /// Appends the last chunk (empty when the object is empty), sealed as the last.
    public mutating func finish(into sealed: inout [UInt8]) throws {
        precondition(!finished, "finish() called twice")
        finished = true
        try cipher.seal(chunks.rest()[...], final: true, into: &sealed)
    }
}
