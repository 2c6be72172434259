import Crypto
import DaulatCore
import DaulatFiles
import Foundation
import NIOCore

/// Copies on the agent's disk, each filed under its object (``BlobName``), never under its hash alone:
/// a copy belongs to one object of one dataset. A copy is written to a temporary file, checked against
/// the hash it must have, flushed to disk and only then renamed into place, so a copy under its name is
/// always whole and correct, even after a crash or power loss.
///
/// An agent of an earlier version kept blobs by hash in `blobs/`; those stay there, reported as such,
/// until the control plane names the objects recorded here that they are copies of (``adopt(_:)``).
public struct BlobStore: Sendable {
    public let directory: URL
    /// How much is read or written at a time: memory stays bounded whatever the object's size.
    public static let chunkSize = 256 * 1024

    public init(directory: URL) throws {
        self.directory = directory
        for folder in [objects, incoming] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
    }

    var objects: URL { directory.appendingPathComponent("objects", isDirectory: true) }
    var legacy: URL { directory.appendingPathComponent("blobs", isDirectory: true) }
    var incoming: URL { directory.appendingPathComponent("incoming", isDirectory: true) }
    var corrupt: URL { directory.appendingPathComponent("corrupt", isDirectory: true) }

    public func path(of name: BlobName) -> URL { objects.appendingPathComponent(name.fileName) }

    public func contains(_ name: BlobName) -> Bool {
        FileManager.default.fileExists(atPath: path(of: name).path)
    }

    public func size(of name: BlobName) throws -> Int64 {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path(of: name).path) else {
            throw BlobError.notFound
        }
        return (attributes[.size] as? NSNumber)?.int64Value ?? 0
    }

    /// Writes `chunks` as the copy `name`, refusing more than `sizeBytes` bytes or bytes with another
    /// hash; nothing is left behind when it refuses. A copy already there is replaced whole. Each chunk
    /// is hashed and written where it lies, without a copy.
    public func store<Chunks: AsyncSequence>(_ chunks: Chunks, as name: BlobName, sizeBytes: Int64) async throws
    where Chunks.Element == ByteBuffer {
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
        guard actual == name.sha256 else { throw BlobError.hashMismatch(expected: name.sha256, actual: actual) }
        guard rename(temporary.path, path(of: name).path) == 0 else { throw BlobError.diskFull }
        try Self.synchronizeDirectory(objects)
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

    /// Deletes the copy, durably.
    public func remove(_ name: BlobName) throws {
        guard unlink(path(of: name).path) == 0 else {
            if errno == ENOENT { return }
            throw BlobError.diskFull
        }
        try Self.synchronizeDirectory(objects)
    }

    /// Every copy held (anything else in the folder is not a copy and is left out).
    public func inventory() throws -> [BlobName] {
        try FileManager.default.contentsOfDirectory(atPath: objects.path).compactMap(BlobName.init(fileName:)).sorted()
    }

    /// The hashes of the blobs an agent of an earlier version kept by hash alone, not yet adopted.
    public func legacyInventory() throws -> [String] {
        guard FileManager.default.fileExists(atPath: legacy.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: legacy.path).filter(Hex.isSHA256).sorted()
    }

    /// Files blobs kept by hash alone under the objects the control plane recorded here as their copies
    /// (a blob may be the copy of several: each gets a file of its own, sharing the bytes on disk), then
    /// removes the blobs so filed. Done again after a crash, it finishes what was left.
    public func adopt(_ adoptions: [AgentMessages.Adoption]) throws {
        guard !adoptions.isEmpty else { return }
        for adoption in adoptions {
            guard let name = BlobName(objectID: adoption.objectID, sha256: adoption.sha256) else { continue }
            let blob = legacy.appendingPathComponent(adoption.sha256)
            guard link(blob.path, path(of: name).path) == 0 || errno == EEXIST || errno == ENOENT else {
                throw BlobError.diskFull
            }
        }
        try Self.synchronizeDirectory(objects)
        for sha256 in Set(adoptions.map(\.sha256)) where Hex.isSHA256(sha256) {
            unlink(legacy.appendingPathComponent(sha256).path)
        }
        try Self.synchronizeDirectory(legacy)
    }

    /// Whether the copy's bytes still hash to what its name says, reading a chunk at a time; `pace` is
    /// told of every chunk read, so a caller can keep to a rate. Only a read that completes decides: a
    /// copy that cannot be read now (gone, too many open files, an I/O error) throws instead.
    public func verify(_ name: BlobName, pace: (Int) async throws -> Void = { _ in }) async throws -> Bool {
        var hasher = SHA256()
        for try await chunk in try read(name) {
            chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
            try await pace(chunk.readableBytes)
        }
        return Hex.encode(hasher.finalize()) == name.sha256
    }

    /// Moves a copy whose bytes no longer match its hash out of the store, into `corrupt/`: it is no
    /// longer served or reported, but nothing is destroyed without an operator.
    public func setAside(_ name: BlobName) throws {
        try FileManager.default.createDirectory(at: corrupt, withIntermediateDirectories: true)
        let destination = corrupt.appendingPathComponent("\(name.fileName).\(UUID().uuidString)")
        guard rename(path(of: name).path, destination.path) == 0 else {
            if errno == ENOENT { return }
            throw BlobError.diskFull
        }
        try Self.synchronizeDirectory(objects)
    }

    /// The copy's bytes, a chunk at a time, read only as fast as they are consumed, each read straight
    /// into the buffer that is sent.
    public func read(_ name: BlobName) throws -> AsyncThrowingStream<ByteBuffer, any Error> {
        let descriptor = open(path(of: name).path, O_RDONLY | O_CLOEXEC)
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
        case .badName: "an object is named by its id (obj- and 20 hex digits)"
        case .notFound: "this agent does not hold that object"
        case .tooLarge(let limit): "the upload exceeds the \(limit) bytes the ticket allows"
        case .truncated(let expected, let received): "the upload ended after \(received) of \(expected) bytes"
        case .hashMismatch(let expected, let actual): "the bytes hash to \(actual), not \(expected); nothing was stored"
        case .diskFull: "the agent could not write the object (disk full or failing)"
        case .unreadable: "the agent could not read the object from its disk"
        }
    }
}
