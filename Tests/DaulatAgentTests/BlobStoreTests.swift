import Crypto
import DaulatAgent
import DaulatCore
import Foundation
import NIOCore
import Testing

@Suite("Blob store")
struct BlobStoreTests {
    func store() throws -> BlobStore {
        try BlobStore(
            directory: FileManager.default.temporaryDirectory.appendingPathComponent(
                "daulat-blobs-\(UUID().uuidString)"))
    }

    func chunks(_ bytes: [UInt8], size: Int = 1000) -> AsyncStream<ByteBuffer> {
        AsyncStream { continuation in
            for start in stride(from: 0, to: bytes.count, by: size) {
                continuation.yield(ByteBuffer(bytes: bytes[start..<min(bytes.count, start + size)]))
            }
            continuation.finish()
        }
    }

    func random(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    func leftovers(_ blobs: BlobStore) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: blobs.directory.appendingPathComponent("incoming").path)
    }

    @Test("a blob is stored under its hash and read back whole, a chunk at a time")
    func roundTrip() async throws {
        let blobs = try store()
        defer { try? FileManager.default.removeItem(at: blobs.directory) }
        let bytes = random(700_000)
        let sha256 = Hex.encode(SHA256.hash(data: bytes))
        try await blobs.store(chunks(bytes), sha256: sha256, sizeBytes: Int64(bytes.count))
        #expect(blobs.contains(sha256))
        #expect(try blobs.size(of: sha256) == Int64(bytes.count))
        var read: [UInt8] = []
        var largestChunk = 0
        for try await chunk in try blobs.read(sha256) {
            read += chunk.readableBytesView
            largestChunk = max(largestChunk, chunk.readableBytes)
        }
        #expect(read == bytes)
        #expect(largestChunk <= BlobStore.chunkSize)
        #expect(try leftovers(blobs).isEmpty)
    }

    @Test("bytes with another hash, too many or too few bytes, and bad names store nothing")
    func refusals() async throws {
        let blobs = try store()
        defer { try? FileManager.default.removeItem(at: blobs.directory) }
        let bytes = random(5_000)
        let sha256 = Hex.encode(SHA256.hash(data: bytes))
        var flipped = bytes
        flipped[4_999] ^= 1
        await #expect(throws: BlobError.self) {
            try await blobs.store(chunks(flipped), sha256: sha256, sizeBytes: 5_000)
        }
        await #expect(throws: BlobError.tooLarge(limit: 4_999)) {
            try await blobs.store(chunks(bytes), sha256: sha256, sizeBytes: 4_999)
        }
        await #expect(throws: BlobError.truncated(expected: 5_001, received: 5_000)) {
            try await blobs.store(chunks(bytes), sha256: sha256, sizeBytes: 5_001)
        }
        for name in ["../etc/passwd", String(sha256.uppercased()), String(sha256.dropLast())] {
            await #expect(throws: BlobError.badName) {
                try await blobs.store(chunks(bytes), sha256: name, sizeBytes: 5_000)
            }
        }
        #expect(!blobs.contains(sha256))
        #expect(throws: BlobError.notFound) { _ = try blobs.read(sha256) }
        #expect(try leftovers(blobs).isEmpty, "refused uploads leave no temporary files")
    }

    @Test("the inventory lists blobs by hash; a scrub's check finds a flipped bit")
    func inventoryAndVerify() async throws {
        let blobs = try store()
        defer { try? FileManager.default.removeItem(at: blobs.directory) }
        let bytes = random(600_000)
        let sha256 = Hex.encode(SHA256.hash(data: bytes))
        try await blobs.store(chunks(bytes), sha256: sha256, sizeBytes: Int64(bytes.count))
        // Something that is not a blob is left out.
        try Data("notes".utf8).write(
            to: blobs.path(of: sha256).deletingLastPathComponent().appendingPathComponent("README"))
        #expect(try blobs.inventory() == [sha256])
        var paced = 0
        #expect(try await blobs.verify(sha256) { paced += $0 })
        #expect(paced == bytes.count, "every byte read is reported for pacing")

        let handle = try FileHandle(forUpdating: blobs.path(of: sha256))
        try handle.seek(toOffset: 400_000)
        try handle.write(contentsOf: Data([bytes[400_000] ^ 0x01]))
        try handle.close()
        #expect(try await !blobs.verify(sha256))
        #expect(throws: BlobError.notFound, "a blob that is not there has no size") {
            try blobs.size(of: String(repeating: "0", count: 64))
        }
        await #expect(throws: BlobError.notFound, "a blob that is not there is not judged") {
            try await blobs.verify(String(repeating: "0", count: 64))
        }
        // Set aside, it is no longer held or listed, but it is not destroyed.
        try blobs.setAside(sha256)
        let listed = try blobs.inventory()
        #expect(!blobs.contains(sha256) && listed.isEmpty)
        let kept = try FileManager.default.contentsOfDirectory(
            atPath: blobs.directory.appendingPathComponent("corrupt").path)
        #expect(kept.count == 1 && kept[0].hasPrefix(sha256))
    }
}
