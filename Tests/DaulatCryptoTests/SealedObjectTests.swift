import Crypto
@_spi(TestVectors) import DaulatCrypto
import Foundation
import Testing

@Suite("Sealed objects")
struct SealedObjectTests {
    /// Seals `plaintext` handed over in pieces of the given sizes (cycled), as a stream would.
    static func seal(
        _ plaintext: [UInt8], header: SealedObjectHeader, key: SymmetricKey, pieces: [Int] = [4_096]
    ) throws -> [UInt8] {
        var sealer = try ObjectSealer(header: header, dataKey: key)
        var sealed = header.encoded
        var offset = 0
        var piece = 0
        while offset < plaintext.count {
            let end = min(plaintext.count, offset + pieces[piece % pieces.count])
            try sealer.seal(plaintext[offset..<end], into: &sealed)
            offset = end
            piece += 1
        }
        try sealer.finish(into: &sealed)
        return sealed
    }

    /// Decodes the header, then opens the rest in pieces; the plaintext only if all of it opened.
    static func open(
        _ sealed: [UInt8], key: SymmetricKey, objectID: String, keyID: String, pieces: [Int] = [4_096]
    ) throws -> [UInt8] {
        guard let (header, length) = try SealedObjectHeader.decode(sealed) else {
            throw SealedObjectError.malformedHeader("incomplete")
        }
        var opener = try ObjectOpener(header: header, dataKey: key, objectID: objectID, keyID: keyID)
        var plaintext: [UInt8] = []
        var offset = length
        var piece = 0
        while offset < sealed.count {
            let end = min(sealed.count, offset + pieces[piece % pieces.count])
            try opener.open(sealed[offset..<end], into: &plaintext)
            offset = end
            piece += 1
        }
        try opener.finish(into: &plaintext)
        return plaintext
    }

    @Test("Daulat seals the committed vectors to exactly their bytes and opens them, whatever the pieces")
    func vectors() throws {
        let vectors = try TestVectors.sealed()
        #expect(vectors.count == 6)
        for vector in vectors {
            let key = SymmetricKey(data: TestVectors.bytes(vector.dataKey))
            let header = try SealedObjectHeader(
                keyID: vector.keyID, objectID: vector.objectID, chunkSize: vector.chunkSize,
                noncePrefix: TestVectors.bytes(vector.noncePrefix))
            let plaintext = TestVectors.bytes(vector.plaintext)
            let expected = TestVectors.bytes(vector.sealed)
            for pieces in [[1], [7, 1, 30], [100_000]] {
                #expect(
                    try Self.seal(plaintext, header: header, key: key, pieces: pieces) == expected, "\(vector.name)")
                #expect(
                    try Self.open(expected, key: key, objectID: vector.objectID, keyID: vector.keyID, pieces: pieces)
                        == plaintext, "\(vector.name)")
            }
        }
    }

    @Test(
        "round trips at 64 KiB chunks: empty, one byte, a chunk less one, exact multiples and one past",
        arguments: [0, 1, 65_535, 65_536, 65_537, 131_072, 3 * 65_536 + 5])
    func roundTrip(size: Int) throws {
        var generator = SystemRandomNumberGenerator()
        let plaintext = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let key = SymmetricKey(size: .bits256)
        let header = try SealedObjectHeader(keyID: "dek-1", objectID: "obj-1")
        let sealed = try Self.seal(plaintext, header: header, key: key, pieces: [10_000, 65_536, 1])
        let chunks = max(1, (size + 65_535) / 65_536)
        #expect(sealed.count == header.encoded.count + size + 16 * chunks)
        #expect(try Self.open(sealed, key: key, objectID: "obj-1", keyID: "dek-1", pieces: [70_000, 3]) == plaintext)
    }

    /// The three-chunk vector, with its key and identifiers.
    static func threeChunks() throws -> (sealed: [UInt8], key: SymmetricKey, vector: TestVectors.Sealed) {
        let vector = try #require(try TestVectors.sealed().first { $0.name == "three chunks, the last short" })
        return (TestVectors.bytes(vector.sealed), SymmetricKey(data: TestVectors.bytes(vector.dataKey)), vector)
    }

    static func failure(_ sealed: [UInt8], key: SymmetricKey, objectID: String = "obj-vector-1")
        -> SealedObjectError?
    {
        do {
            _ = try open(sealed, key: key, objectID: objectID, keyID: "dek-vector-1", pieces: [5])
            return nil
        } catch {
            return error as? SealedObjectError ?? .malformedHeader("\(error)")
        }
    }

    @Test(
        "every single bit flipped anywhere in a sealed object is detected, and never taken for a cut",
        arguments: ["three chunks, the last short", "exactly two chunks"])
    func bitFlips(name: String) throws {
        let vector = try #require(try TestVectors.sealed().first { $0.name == name })
        let (sealed, key) = (TestVectors.bytes(vector.sealed), SymmetricKey(data: TestVectors.bytes(vector.dataKey)))
        for position in sealed.indices {
            for bit in 0..<8 {
                var tampered = sealed
                tampered[position] ^= 1 << bit
                let failure = Self.failure(tampered, key: key)
                #expect(failure != nil, "bit \(bit) of byte \(position)")
                if case .truncated = failure { Issue.record("bit \(bit) of byte \(position) read as a cut") }
            }
        }
    }

    @Test("truncated, reordered, repeated, appended and spliced chunks, and the wrong key, are refused by name")
    func structuralTampering() throws {
        let (sealed, key, vector) = try Self.threeChunks()
        let headerLength = try #require(try SealedObjectHeader.decode(sealed)).length
        let chunk = vector.chunkSize + 16
        let chunks = (0..<3).map { index in
            Array(sealed[(headerLength + index * chunk)..<min(sealed.count, headerLength + (index + 1) * chunk)])
        }
        let header = Array(sealed[..<headerLength])
        #expect(Self.failure(header + chunks[0] + chunks[1], key: key) == .truncated(afterChunks: 2))
        #expect(Self.failure(header + chunks[0], key: key) == .truncated(afterChunks: 1))
        #expect(Self.failure(header, key: key) == .truncated(afterChunks: 0))
        #expect(Self.failure(Array(sealed.dropLast(1)), key: key) == .chunkRejected(index: 2))
        // Cut inside the last chunk: with at least a tag's worth left it fails as that chunk, with less
        // it ends where a chunk should be.
        #expect(
            Self.failure(header + chunks[0] + chunks[1] + chunks[2].prefix(16), key: key) == .chunkRejected(index: 2))
        #expect(
            Self.failure(header + chunks[0] + chunks[1] + chunks[2].prefix(15), key: key) == .truncated(afterChunks: 2))
        #expect(Self.failure(header + chunks[1] + chunks[0] + chunks[2], key: key) == .chunkRejected(index: 0))
        #expect(Self.failure(header + chunks[0] + chunks[0] + chunks[2], key: key) == .chunkRejected(index: 1))
        #expect(Self.failure(sealed + Array(repeating: 0, count: 16), key: key) == .chunkRejected(index: 2))
        #expect(Self.failure(sealed, key: SymmetricKey(size: .bits256)) == .chunkRejected(index: 0))

        // The same key, nonce prefix and plaintext sealed as another object: its chunks do not fit here.
        let other = try SealedObjectHeader(
            keyID: vector.keyID, objectID: "obj-vector-2", chunkSize: vector.chunkSize,
            noncePrefix: TestVectors.bytes(vector.noncePrefix))
        let otherSealed = try Self.seal(TestVectors.bytes(vector.plaintext), header: other, key: key)
        #expect(
            Self.failure(header + Array(otherSealed[other.encoded.count...]), key: key) == .chunkRejected(index: 0))
        // Its header with this object's chunks: it is another object, so it is refused before any chunk.
        #expect(
            Self.failure(other.encoded + Array(sealed[headerLength...]), key: key)
                == .wrongObject(expected: "obj-vector-1", found: "obj-vector-2"))
        #expect(
            throws: SealedObjectError.wrongKey(expected: "dek-other", found: "dek-vector-1"),
            performing: {
                try Self.open(sealed, key: key, objectID: "obj-vector-1", keyID: "dek-other")
            })
    }

    @Test("headers that are not ours, of another version or algorithm, or malformed, are refused; a partial one waits")
    func headers() throws {
        let (sealed, _, _) = try Self.threeChunks()
        let length = try #require(try SealedObjectHeader.decode(sealed)).length
        for prefix in [0, 3, 6, 8, 12, 20, length - 1] {
            #expect(try SealedObjectHeader.decode(sealed.prefix(prefix)) == nil, "\(prefix) bytes are not enough yet")
        }
        var changed = sealed
        changed[0] = UInt8(ascii: "X")
        #expect(throws: SealedObjectError.notSealed) { try SealedObjectHeader.decode(changed) }
        #expect(throws: SealedObjectError.notSealed) { try SealedObjectHeader.decode(Array("PK\u{3}\u{4}".utf8)) }
        changed = sealed
        changed[6] = 2
        #expect(throws: SealedObjectError.unsupportedVersion(2)) { try SealedObjectHeader.decode(changed) }
        changed = sealed
        changed[7] = 9
        #expect(throws: SealedObjectError.unsupportedAlgorithm(9)) { try SealedObjectHeader.decode(changed) }
        changed = sealed
        changed[8...11] = [0, 0, 0, 0]
        #expect(throws: SealedObjectError.self) { try SealedObjectHeader.decode(changed) }
        changed = sealed
        changed[8...11] = [0xff, 0, 0, 0]
        #expect(throws: SealedObjectError.self) { try SealedObjectHeader.decode(changed) }
        changed = sealed
        changed[19...20] = [0, 0]
        #expect(throws: SealedObjectError.self) { try SealedObjectHeader.decode(changed) }
        // A length no identifier can have is refused at once, not waited on.
        changed[19...20] = [0x01, 0x2c]
        #expect(throws: SealedObjectError.self) { try SealedObjectHeader.decode(changed.prefix(24)) }
        #expect(throws: SealedObjectError.self) { try SealedObjectHeader(keyID: "", objectID: "obj") }
        #expect(throws: SealedObjectError.self) {
            try SealedObjectHeader(keyID: String(repeating: "k", count: 256), objectID: "obj")
        }
    }

    @Test("every new header has its own random nonce prefix")
    func freshNoncePrefixes() throws {
        let prefixes = try (0..<100).map { _ in try SealedObjectHeader(keyID: "k", objectID: "o").noncePrefix }
        #expect(Set(prefixes).count == 100)
    }

    @Test("a data key that is not 256 bits is refused; a sealer or opener used after an error or its end refuses")
    func misuse() throws {
        let (sealed, key, vector) = try Self.threeChunks()
        let header = try #require(try SealedObjectHeader.decode(sealed)).header
        #expect(throws: SealedObjectError.invalidDataKey(bits: 128)) {
            _ = try ObjectOpener(
                header: header, dataKey: SymmetricKey(size: .bits128), objectID: vector.objectID, keyID: vector.keyID)
        }
        #expect(throws: SealedObjectError.invalidDataKey(bits: 192)) {
            _ = try ObjectSealer(header: header, dataKey: SymmetricKey(size: .bits192))
        }
        var opener = try ObjectOpener(header: header, dataKey: key, objectID: vector.objectID, keyID: vector.keyID)
        var plaintext: [UInt8] = []
        var swapped = Array(sealed[header.encoded.count...])
        swapped[0] ^= 1
        #expect(throws: SealedObjectError.chunkRejected(index: 0)) { try opener.open(swapped, into: &plaintext) }
        #expect(throws: SealedObjectError.closed) { try opener.open([1], into: &plaintext) }
        #expect(throws: SealedObjectError.closed) { try opener.finish(into: &plaintext) }
        #expect(plaintext.isEmpty)
        var sealer = try ObjectSealer(keyID: "dek-1", objectID: "obj-1")
        var out: [UInt8] = []
        try sealer.finish(into: &out)
        #expect(throws: SealedObjectError.closed) { try sealer.seal([1, 2, 3], into: &out) }
        #expect(throws: SealedObjectError.closed) { try sealer.finish(into: &out) }
    }

    @Test("a new sealer makes its own 256-bit data key and nonce prefix, and what it seals opens")
    func newSealer() throws {
        var sealer = try ObjectSealer(keyID: "dek-1", objectID: "obj-1")
        let other = try ObjectSealer(keyID: "dek-1", objectID: "obj-1")
        #expect(sealer.dataKey.bitCount == 256)
        #expect(sealer.header.noncePrefix != other.header.noncePrefix)
        #expect(
            sealer.dataKey.withUnsafeBytes { Array($0) } != other.dataKey.withUnsafeBytes { Array($0) })
        var sealed = sealer.header.encoded
        try sealer.seal(Array("census 2026".utf8), into: &sealed)
        try sealer.finish(into: &sealed)
        #expect(
            try Self.open(sealed, key: sealer.dataKey, objectID: "obj-1", keyID: "dek-1") == Array("census 2026".utf8))
    }
}
