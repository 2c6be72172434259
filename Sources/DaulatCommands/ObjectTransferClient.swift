import AsyncHTTPClient
import Crypto
import DaulatAgent
import DaulatControlPlane
import DaulatCore
import Foundation
import NIOCore

/// Moves an object's bytes between this machine and an agent, as a ticket from the control plane
/// allows, a chunk at a time: memory stays bounded whatever the file's size.
enum ObjectTransferClient {
    /// The SHA-256 (lowercase hex) and size of a file, read a chunk at a time.
    static func digest(of file: URL) throws -> (sha256: String, size: Int64) {
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        var hasher = SHA256()
        var size: Int64 = 0
        while let data = try handle.read(upToCount: BlobStore.chunkSize), !data.isEmpty {
            hasher.update(data: data)
            size += Int64(data.count)
        }
        return (Hex.encode(hasher.finalize()), size)
    }

    /// Sends `file` to the agent `transfer` names; `api` decides which authority vouches for agents.
    static func upload(_ file: URL, with transfer: ObjectTransfer, api: APIClient) async throws {
        let authority = try await api.authority(matching: transfer.caCertificate)
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        let chunks = AsyncThrowingStream<ByteBuffer, any Error>(unfolding: {
            guard let data = try handle.read(upToCount: BlobStore.chunkSize), !data.isEmpty else { return nil }
            return ByteBuffer(bytes: data)
        })
        try await ObjectClient.withClient(trusting: authority, peers: [try transfer.peer()]) { client in
            try await put(.stream(chunks, length: .known(transfer.object.sizeBytes)), with: transfer, client: client)
        }
    }

    /// Sends an object's bytes to the agent the ticket names, over `client` (one client can carry many;
    /// it must reach that agent by its ``PeerAddress``).
    static func put(_ body: HTTPClientRequest.Body, with transfer: ObjectTransfer, client: HTTPClient) async throws {
        var request = HTTPClientRequest(url: try transfer.peer().url())
        request.method = .PUT
        request.headers.add(name: "Authorization", value: "Ticket \(transfer.ticket)")
        request.headers.add(name: "Content-Type", value: "application/octet-stream")
        request.body = body
        let response = try await client.execute(request, timeout: .hours(12))
        guard response.status == .created else { throw try await ObjectClient.refusal(response) }
        _ = try await response.body.collect(upTo: 1 << 20)
    }

    /// Writes the object to `destination`, whole and with the right hash, or not at all.
    static func download(with transfer: ObjectTransfer, to destination: URL, api: APIClient) async throws {
        let authority = try await api.authority(matching: transfer.caCertificate)
        let temporary = destination.deletingLastPathComponent().appendingPathComponent(
            ".\(destination.lastPathComponent).partial")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw ClientError(message: "cannot write \(temporary.path)")
        }
        defer { try? FileManager.default.removeItem(at: temporary) }
        try await ObjectClient.withClient(trusting: authority, peers: [try transfer.peer()]) { client in
            let response = try await ObjectClient.get(
                try transfer.peer().url(), ticket: transfer.ticket, client: client)
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            var hasher = SHA256()
            var size: Int64 = 0
            for try await buffer in response.body {
                let bytes = Data(buffer: buffer)
                size += Int64(bytes.count)
                // An agent that sends more than the object is wrong: stop before it fills the disk.
                guard size <= transfer.object.sizeBytes else {
                    throw ClientError(
                        message:
                            "the agent sent more than the object's \(transfer.object.sizeBytes) bytes; nothing was written"
                    )
                }
                hasher.update(data: bytes)
                try handle.write(contentsOf: bytes)
            }
            try handle.synchronize()
            let sha256 = Hex.encode(hasher.finalize())
            guard sha256 == transfer.object.sha256, size == transfer.object.sizeBytes else {
                throw ClientError(
                    message: "the agent sent \(size) bytes hashing to \(sha256), not the object; nothing was written")
            }
        }
        guard rename(temporary.path, destination.path) == 0 else {
            throw ClientError(message: "cannot write \(destination.path)")
        }
    }
}
