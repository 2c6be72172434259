import Crypto

/// Seals a stream of plaintext into a sealed object, a chunk at a time: memory holds at most one chunk
/// and what the caller hands over, whatever the object's size. Write `header.encoded`, then everything
/// `seal` appends, then what `finish` appends; wrap `dataKey` for the custodians.
///
/// A sealer makes its own data key and nonce prefix and cannot be copied, so no nonce can be used
/// twice under one key; after an error it refuses to go on.
public struct ObjectSealer: ~Copyable, Sendable {
    public let dataKey: SymmetricKey
    public var header: SealedObjectHeader { cipher.header }
    private var cipher: ChunkCipher
    private var chunks: HeldBackChunks
    private var closed = false

    /// A new object: a fresh 256-bit data key and a fresh random nonce prefix.
    public init(keyID: String, objectID: String, chunkSize: Int = SealedObjectHeader.defaultChunkSize) throws {
        try self.init(
            header: try SealedObjectHeader(keyID: keyID, objectID: objectID, chunkSize: chunkSize),
            dataKey: SymmetricKey(size: .bits256))
    }

    /// With a given header and key: only for reproducing test vectors.
    @_spi(TestVectors)
    public init(header: SealedObjectHeader, dataKey: SymmetricKey) throws {
        self.dataKey = dataKey
        cipher = try ChunkCipher(header: header, key: dataKey)
        chunks = HeldBackChunks(size: header.chunkSize)
    }

    /// Appends to `sealed` the chunks `plaintext` completes, possibly none. A caller that reuses
    /// `sealed` (emptied, capacity kept) allocates nothing per call.
    public mutating func seal(_ plaintext: ArraySlice<UInt8>, into sealed: inout [UInt8]) throws {
        guard !closed else { throw SealedObjectError.closed }
        var cipher = self.cipher
        defer { self.cipher = cipher }
        do {
            try chunks.feed(plaintext) { try cipher.seal($0, final: false, into: &sealed) }
        } catch {
            closed = true
            throw error
        }
    }

    public mutating func seal(_ plaintext: [UInt8], into sealed: inout [UInt8]) throws {
        try seal(plaintext[...], into: &sealed)
    }

    /// Appends the last chunk (empty when the object is empty), sealed as the last.
    public mutating func finish(into sealed: inout [UInt8]) throws {
        guard !closed else { throw SealedObjectError.closed }
        closed = true
        try cipher.seal(chunks.rest()[...], final: true, into: &sealed)
    }
}
