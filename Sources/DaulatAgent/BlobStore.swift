import Crypto
import DaulatCore
import DaulatFiles
import Foundation
import NIOCore

/// Objects on the agent's disk, named by the SHA-256 of their bytes. A blob is written to a temporary
/// file, checked against the hash it must have, flushed to disk and only then renamed into place, so a
/// blob under its name is always whole and correct, even after a crash or power loss.
public struct BlobStore: Sendable {
    public let directory: URL
    /// How much is read or written at a time: memory stays bounded whatever the object's size.
    public static let chunkSize = 256 * 1024

    public init(directory: URL) throws {
        self.directory = directory
        for folder in [blobs, incoming] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
    }

    var blobs: URL { directory.appendingPathComponent("blobs", isDirectory: true) }
    var incoming: URL { directory.appendingPathComponent("incoming", isDirectory: true) }
    var corrupt: URL { directory.appendingPathComponent("corrupt", isDirectory: true) }

    public func path(of sha256: String) -> URL { blobs.appendingPathComponent(sha256) }

    public func contains(_ sha256: String) -> Bool {
        Hex.isSHA256(sha256) && FileManager.default.fileExists(atPath: path(of: sha256).path)
    }

    public func size(of sha256: String) throws -> Int64 {
        guard contains(sha256),
            let attributes = try? FileManager.default.attributesOfItem(atPath: path(of: sha256).path)
        else { throw BlobError.notFound }
        return (attributes[.size] as? NSNumber)?.int64Value ?? 0
    }

    /// Writes `chunks` as the blob `sha256`, refusing more than `sizeBytes` bytes or bytes with
    /// another hash; nothing is left behind when it refuses. Each chunk is hashed and written where it
    /// lies, without a copy.
    public func store<Chunks: AsyncSequence>(_ chunks: Chunks, sha256: String, sizeBytes: Int64) async throws
    where Chunks.Element == ByteBuffer {
        guard Hex.isSHA256(sha256) else { throw BlobError.badName }
        let temporary = incoming.appendingPathComponent(UUID().uuidString)
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw BlobError.diskFull }
        defer { try? FileManager.default.removeItem(at: temporary) }
        var hasher = SHA256()
        var written: Int64 = 0
        do {
            for try await chunk in chunks {
                written += Int64(chunk.readableBytes)
                guard written <= sizeBytes else { throw BlobError.tooLarge(limit: sizeBytes) }
                try chunk.withUnsafeReadableBytes { bytes in
                    hasher.update(bufferPointer: bytes)
                    try Self.writeAll(bytes, to: descriptor)
                }
            }
            guard fsync(descriptor) == 0 else { throw BlobError.diskFull }
            close(descriptor)
        } catch {
            close(descriptor)
            throw error
        }
        guard written == sizeBytes else { throw BlobError.truncated(expected: sizeBytes, received: written) }
        let actual = Hex.encode(hasher.finalize())
        guard actual == sha256 else { throw BlobError.hashMismatch(expected: sha256, actual: actual) }
        guard rename(temporary.path, path(of: sha256).path) == 0 else { throw BlobError.diskFull }
        try Self.synchronizeDirectory(blobs)
    }

    /// Writes every byte, retrying short writes; a failure is a full (or failing) disk.
    private static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) throws {
        var offset = 0
        while offset < bytes.count {
            let count = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw BlobError.diskFull }
            offset += count
        }
    }

    /// Deletes the blob, durably.
    public func remove(_ sha256: String) throws {
        guard contains(sha256) else { return }
        try FileManager.default.removeItem(at: path(of: sha256))
        try Self.synchronizeDirectory(blobs)
    }

    /// Every blob held, by hash (anything else in the folder is not a blob and is left out).
    public func inventory() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: blobs.path).filter(Hex.isSHA256).sorted()
    }

    /// Whether the blob's bytes still hash to its name, reading a chunk at a time; `pace` is told of
    /// every chunk read, so a caller can keep to a rate. Only a read that completes decides: a blob
    /// that cannot be read now (gone, too many open files, an I/O error) throws instead.
    public func verify(_ sha256: String, pace: (Int) async throws -> Void = { _ in }) async throws -> Bool {
        var hasher = SHA256()
        for try await chunk in try read(sha256) {
            chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
            try await pace(chunk.readableBytes)
        }
        return Hex.encode(hasher.finalize()) == sha256
    }

    /// Moves a blob whose bytes no longer match its name out of the store, into `corrupt/`: it is no
    /// longer served or reported, but nothing is destroyed without an operator.
    public func setAside(_ sha256: String) throws {
        guard contains(sha256) else { return }
        try FileManager.default.createDirectory(at: corrupt, withIntermediateDirectories: true)
        let destination = corrupt.appendingPathComponent("\(sha256).\(UUID().uuidString)")
        guard rename(path(of: sha256).path, destination.path) == 0 else { throw BlobError.diskFull }
        try Self.synchronizeDirectory(blobs)
    }

    /// The blob's bytes, a chunk at a time, read only as fast as they are consumed, each read straight
    /// into the buffer that is sent.
    public func read(_ sha256: String) throws -> AsyncThrowingStream<ByteBuffer, any Error> {
        guard contains(sha256) else { throw BlobError.notFound }
        let descriptor = open(path(of: sha256).path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw errno == ENOENT ? BlobError.notFound : BlobError.unreadable }
        let file = OpenFile(descriptor: descriptor)
        return AsyncThrowingStream(unfolding: {
            var buffer = ByteBufferAllocator().buffer(capacity: Self.chunkSize)
            let count = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: Self.chunkSize) { bytes in
                while true {
                    let count = Foundation.read(file.descriptor, bytes.baseAddress, Self.chunkSize)
                    if count < 0 && errno == EINTR { continue }
                    guard count >= 0 else { throw BlobError.unreadable }
                    return count
                }
            }
            guard count > 0 else {
                file.close()
                return nil
            }
            return buffer
        })
    }

    /// Makes a rename in `directory` durable; a failure is the disk's.
    private static func synchronizeDirectory(_ directory: URL) throws {
        do {
            try DurableFile.syncDirectory(directory)
        } catch {
            throw BlobError.diskFull
        }
    }
}

/// Why a blob was not stored or cannot be read.
public enum BlobError: Error, Sendable, Equatable, CustomStringConvertible {
    case badName
    case notFound
    case tooLarge(limit: Int64)
    case truncated(expected: Int64, received: Int64)
    case hashMismatch(expected: String, actual: String)
    case diskFull
    case unreadable

    public var code: String {
        switch self {
        case .badName: "invalid_object_name"
        case .notFound: "object_not_here"
        case .tooLarge: "object_too_large"
        case .truncated: "object_truncated"
        case .hashMismatch: "object_hash_mismatch"
        case .diskFull: "disk_full"
        case .unreadable: "object_unreadable"
        }
    }

    public var description: String {
        switch self {
        case .badName: "an object is named by the lowercase hex SHA-256 of its bytes"
        case .notFound: "this agent does not hold that object"
        case .tooLarge(let limit): "the upload exceeds the \(limit) bytes the ticket allows"
        case .truncated(let expected, let received): "the upload ended after \(received) of \(expected) bytes"
        case .hashMismatch(let expected, let actual): "the bytes hash to \(actual), not \(expected); nothing was stored"
        case .diskFull: "the agent could not write the object (disk full or failing)"
        case .unreadable: "the agent could not read the object from its disk"
        }
    }
}
