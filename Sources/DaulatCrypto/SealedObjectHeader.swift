import Crypto
import Foundation

/// The start of every sealed object: what it is, how it was sealed and with which data key, so that a
/// reader can find the key and refuse what it cannot open before reading any payload. Its bytes are
/// the associated data of every chunk, so none of it can be changed without every chunk failing.
///
/// Layout (big-endian; `docs/format.md` is the reference):
///
///     "DAULAT" | version u8 | algorithm u8 | chunk size u32 | nonce prefix [7]
///     | key id length u16 | key id (UTF-8) | object id length u16 | object id (UTF-8)
public struct SealedObjectHeader: Hashable, Sendable {
    public static let magic: [UInt8] = Array("DAULAT".utf8)
    public static let currentVersion: UInt8 = 1
    /// AES-256-GCM over fixed-size chunks, nonces in the STREAM construction (prefix, counter, last flag).
    public static let aes256GCMStream: UInt8 = 1
    public static let defaultChunkSize = 64 * 1024
    /// Bounds what a reader buffers for one chunk, whatever a header claims.
    public static let chunkSizes = 16...(16 * 1024 * 1024)
    public static let noncePrefixSize = 7
    public static let tagSize = 16
    /// Identifiers are short names, never payload.
    public static let identifierSizes = 1...255
    /// The longest a valid header can be: a reader that has this many bytes and no header has no object.
    public static let maximumSize = magic.count + 2 + 4 + noncePrefixSize + 2 * (2 + identifierSizes.upperBound)

    public let version: UInt8
    public let algorithm: UInt8
    public let chunkSize: Int
    public let noncePrefix: [UInt8]
    /// Names the data key, so the reader asks its custodians for the right one.
    public let keyID: String
    public let objectID: String

    /// A header for a new object, with a fresh random nonce prefix.
    public init(keyID: String, objectID: String, chunkSize: Int = Self.defaultChunkSize) throws {
        try self.init(
            version: Self.currentVersion, algorithm: Self.aes256GCMStream, chunkSize: chunkSize,
            noncePrefix: Self.randomNoncePrefix(), keyID: keyID, objectID: objectID)
    }

    /// With a given nonce prefix: only for reproducing test vectors.
    @_spi(TestVectors)
    public init(keyID: String, objectID: String, chunkSize: Int, noncePrefix: [UInt8]) throws {
        try self.init(
            version: Self.currentVersion, algorithm: Self.aes256GCMStream, chunkSize: chunkSize,
            noncePrefix: noncePrefix, keyID: keyID, objectID: objectID)
    }

    private init(
        version: UInt8, algorithm: UInt8, chunkSize: Int, noncePrefix: [UInt8], keyID: String, objectID: String
    ) throws {
        guard Self.chunkSizes.contains(chunkSize) else {
            throw SealedObjectError.malformedHeader("chunk size \(chunkSize) is outside \(Self.chunkSizes)")
        }
        guard noncePrefix.count == Self.noncePrefixSize else {
            throw SealedObjectError.malformedHeader("the nonce prefix is not \(Self.noncePrefixSize) bytes")
        }
        for (name, value) in [("key id", keyID), ("object id", objectID)]
        where !Self.identifierSizes.contains(value.utf8.count) {
            throw SealedObjectError.malformedHeader("the \(name) is not 1 to 255 bytes of UTF-8")
        }
        self.version = version
        self.algorithm = algorithm
        self.chunkSize = chunkSize
        self.noncePrefix = noncePrefix
        self.keyID = keyID
        self.objectID = objectID
    }

    public var encoded: [UInt8] {
        var bytes = Self.magic + [version, algorithm]
        bytes += Self.bigEndian(UInt32(chunkSize))
        bytes += noncePrefix
        for identifier in [keyID, objectID] {
            bytes += Self.bigEndian(UInt16(identifier.utf8.count))
            bytes += Array(identifier.utf8)
        }
        return bytes
    }

    /// The header at the start of `bytes` and its length, or nil when more bytes are needed to tell
    /// (never once `maximumSize` bytes are there). A stream that ends while this is nil is truncated.
    public static func decode(_ bytes: some Collection<UInt8>) throws -> (header: SealedObjectHeader, length: Int)? {
        var reader = Array(bytes.prefix(maximumSize))[...]
        func take(_ count: Int) -> ArraySlice<UInt8>? {
            guard reader.count >= count else { return nil }
            defer { reader = reader.dropFirst(count) }
            return reader.prefix(count)
        }
        guard let magic = take(magic.count) else {
            guard Array(reader) == Array(Self.magic.prefix(reader.count)) else { throw SealedObjectError.notSealed }
            return nil
        }
        guard Array(magic) == Self.magic else { throw SealedObjectError.notSealed }
        guard let versionAndAlgorithm = take(2) else { return nil }
        let (version, algorithm) = (versionAndAlgorithm.first!, versionAndAlgorithm.last!)
        guard version == currentVersion else { throw SealedObjectError.unsupportedVersion(version) }
        guard algorithm == aes256GCMStream else { throw SealedObjectError.unsupportedAlgorithm(algorithm) }
        guard let chunkSize = take(4).map(integer), let noncePrefix = take(noncePrefixSize) else { return nil }
        var identifiers: [String] = []
        for _ in 0..<2 {
            guard let length = take(2).map(integer) else { return nil }
            // Refused at once: waiting for the bytes of an impossible length would wait forever.
            guard identifierSizes.contains(length) else {
                throw SealedObjectError.malformedHeader("an identifier is not 1 to 255 bytes of UTF-8")
            }
            guard let identifier = take(length) else { return nil }
            guard let text = String(validating: identifier, as: UTF8.self) else {
                throw SealedObjectError.malformedHeader("an identifier is not UTF-8")
            }
            identifiers.append(text)
        }
        let header = try SealedObjectHeader(
            version: version, algorithm: algorithm, chunkSize: chunkSize, noncePrefix: Array(noncePrefix),
            keyID: identifiers[0], objectID: identifiers[1])
        return (header, header.encoded.count)
    }

    /// The nonce of chunk `index`: the object's prefix, the chunk's number and whether it is the last,
    /// so that a chunk moved, dropped or presented as the end fails to open.
    func nonce(chunk index: UInt32, final: Bool) throws -> AES.GCM.Nonce {
        try AES.GCM.Nonce(data: noncePrefix + Self.bigEndian(index) + [final ? 1 : 0])
    }

    static func randomNoncePrefix() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<noncePrefixSize).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    static func bigEndian<Integer: FixedWidthInteger>(_ value: Integer) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian, Array.init)
    }

    private static func integer(_ bytes: ArraySlice<UInt8>) -> Int {
        bytes.reduce(0) { $0 << 8 | Int($1) }
    }
}
