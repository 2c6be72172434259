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

    func name(_ bytes: [UInt8], object: String = "obj-00000000000000000001") throws -> BlobName {
        try #require(BlobName(objectID: object, sha256: Hex.encode(SHA256.hash(data: bytes))))
    }

    @Test("a copy is stored under its object and read back whole, a chunk at a time")
    func roundTrip() async throws {
        let blobs = try store()
        defer { try? FileManager.default.removeItem(at: blobs.directory) }
        let bytes = random(700_000)
        let name = try name(bytes)
        try await blobs.store(chunks(bytes), as: name, sizeBytes: Int64(bytes.count))
        #expect(blobs.contains(name))
        #expect(try blobs.size(of: name) == Int64(bytes.count))
        var read: [UInt8] = []
        var largestChunk = 0
        for try await chunk in try blobs.read(name) {
            read += chunk.readableBytesView
            largestChunk = max(largestChunk, chunk.readableBytes)
        }
        #expect(read == bytes)
        #expect(largestChunk <= BlobStore.chunkSize)
        #expect(try leftovers(blobs).isEmpty)
    }

    @Test("two objects with the same bytes are two copies: removing one leaves the other")
    func sameBytesTwoObjects() async throws {
        let blobs = try store()
        defer { try? FileManager.default.removeItem(at: blobs.directory) }
        let bytes = random(10_000)
        let (first, second) = (try name(bytes), try name(bytes, object: "obj-00000000000000000002"))
        try await blobs.store(chunks(bytes), as: first, sizeBytes: Int64(bytes.count))
        #expect(!blobs.contains(second), "holding the bytes for one object is not holding the other")
        #expect(throws: BlobError.notFound) { _ = try blobs.read(second) }
        try await blobs.store(chunks(bytes), as: second, sizeBytes: Int64(bytes.count))
        #expect(try blobs.inventory() == [first, second])
        try blobs.remove(first)
        #expect(try blobs.inventory() == [second])
        var read: [UInt8] = []
        for try await chunk in try blobs.read(second) { read += chunk.readableBytesView }
        #expect(read == bytes)
    }

    @Test("bytes with another hash, too many or too few bytes, and bad names store nothing")
    func refusals() async throws {
        let blobs = try store()
        defer { try? FileManager.default.removeItem(at: blobs.directory) }
        let bytes = random(5_000)
        let name = try name(bytes)
        var flipped = bytes
        flipped[4_999] ^= 1
        await #expect(throws: BlobError.self) {
            try await blobs.store(chunks(flipped), as: name, sizeBytes: 5_000)
        }
        await #expect(throws: BlobError.tooLarge(limit: 4_999)) {
            try await blobs.store(chunks(bytes), as: name, sizeBytes: 4_999)
        }
        await #expect(throws: BlobError.truncated(expected: 5_001, received: 5_000)) {
            try await blobs.store(chunks(bytes), as: name, sizeBytes: 5_001)
        }
        let sha256 = name.sha256
        for (object, hash) in [
            ("../etc/passwd", sha256), ("obj-00000000000000000001", sha256.uppercased()),
            ("obj-00000000000000000001", String(sha256.dropLast())), ("obj-0000000000000000000G", sha256),
            ("obj-00000000000000000001/..", sha256),
        ] {
            #expect(BlobName(objectID: object, sha256: hash) == nil, "\(object) \(hash)")
        }
        #expect(!blobs.contains(name))
        #expect(throws: BlobError.notFound) { _ = try blobs.read(name) }
        #expect(try leftovers(blobs).isEmpty, "refused uploads leave no temporary files")
    }

    @Test("the inventory lists copies by object; a scrub's check finds a flipped bit")
    func inventoryAndVerify() async throws {
        let blobs = try store()
        defer { try? FileManager.default.removeItem(at: blobs.directory) }
        let bytes = random(600_000)
        let name = try name(bytes)
        try await blobs.store(chunks(bytes), as: name, sizeBytes: Int64(bytes.count))
        // Something that is not a copy is left out.
        for stray in ["README", name.sha256, "obj-00000000000000000003"] {
            try Data("notes".utf8).write(
                to: blobs.path(of: name).deletingLastPathComponent().appendingPathComponent(stray))
        }
        #expect(try blobs.inventory() == [name])
        var paced = 0
        #expect(try await blobs.verify(name) { paced += $0 })
        #expect(paced == bytes.count, "every byte read is reported for pacing")

        let handle = try FileHandle(forUpdating: blobs.path(of: name))
        try handle.seek(toOffset: 400_000)
        try handle.write(contentsOf: Data([bytes[400_000] ^ 0x01]))
        try handle.close()
        #expect(try await !blobs.verify(name))
        let absent = try #require(
            BlobName(objectID: "obj-00000000000000000009", sha256: String(repeating: "0", count: 64)))
        #expect(throws: BlobError.notFound, "a copy that is not there has no size") {
            try blobs.size(of: absent)
        }
        await #expect(throws: BlobError.notFound, "a copy that is not there is not judged") {
            try await blobs.verify(absent)
        }
        // Set aside, it is no longer held or listed, but it is not destroyed.
        try blobs.setAside(name)
        let listed = try blobs.inventory()
        #expect(!blobs.contains(name) && listed.isEmpty)
        let kept = try FileManager.default.contentsOfDirectory(
            atPath: blobs.directory.appendingPathComponent("corrupt").path)
        #expect(kept.count == 1 && kept[0].hasPrefix(name.fileName))
    }

    @Test("blobs an earlier agent kept by hash are listed, filed under the objects named, then removed")
    func legacyAdoption() async throws {
        let blobs = try store()
        defer { try? FileManager.default.removeItem(at: blobs.directory) }
        let bytes = random(3_000)
        let sha256 = Hex.encode(SHA256.hash(data: bytes))
        let unclaimed = String(repeating: "ab", count: 32)
        let legacy = blobs.directory.appendingPathComponent("blobs")
        try FileManager.default.createDirectory(at: legacy, withIntermediateDirectories: true)
        try Data(bytes).write(to: legacy.appendingPathComponent(sha256))
        try Data("other".utf8).write(to: legacy.appendingPathComponent(unclaimed))
        #expect(try blobs.legacyInventory() == [sha256, unclaimed].sorted())
        // One blob, the copy of two objects recorded here: each gets its own file.
        let objects = ["obj-00000000000000000001", "obj-00000000000000000002"]
        try blobs.adopt(objects.map { AgentMessages.Adoption(objectID: $0, sha256: sha256) })
        #expect(try blobs.inventory().map(\.objectID) == objects)
        #expect(try blobs.legacyInventory() == [unclaimed], "a blob no object was named for stays, for an operator")
        for object in objects { #expect(try await blobs.verify(try name(bytes, object: object))) }
        try blobs.remove(try name(bytes, object: objects[0]))
        #expect(try await blobs.verify(try name(bytes, object: objects[1])))
    }
}
