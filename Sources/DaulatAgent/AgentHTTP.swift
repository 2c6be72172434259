import AsyncHTTPClient
import DaulatCore
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// JSON over HTTP for agents and custodians, through a given client (plain for enrolment, mutual TLS
/// after).
public enum AgentHTTP {
    public static func post<Reply: Decodable>(
        _ url: String,
        _ body: some Encodable,
        as reply: Reply.Type,
        client: HTTPClient,
        timeout: TimeAmount = .seconds(30),
        limit: Int = 1 << 20
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(data: try CanonicalJSON.encoder().encode(body)))
        return try await send(request, as: reply, client: client, timeout: timeout, limit: limit)
    }

    /// A GET whose answer may be up to `limit` bytes (a host's whole assignment set can be large).
    static func get<Reply: Decodable>(
        _ url: String, as reply: Reply.Type, client: HTTPClient, timeout: TimeAmount, limit: Int = 1 << 20
    )
        async throws -> Reply
    {
        try await send(HTTPClientRequest(url: url), as: reply, client: client, timeout: timeout, limit: limit)
    }

    private static func send<Reply: Decodable>(
        _ request: HTTPClientRequest, as reply: Reply.Type, client: HTTPClient, timeout: TimeAmount,
        limit: Int = 1 << 20
    )
        async throws -> Reply
    {
        let url = request.url
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: timeout)
        } catch {
            throw AgentError(message: "cannot reach \(url): \(error)")
        }
        let data = Data(buffer: try await response.body.collect(upTo: limit))
        guard (200..<300).contains(response.status.code) else {
            let envelope = try? JSONDecoder().decode(ErrorBody.self, from: data)
            throw AgentError(
                status: Int(response.status.code), code: envelope?.error.code,
                message: envelope?.error.message ?? "the control plane answered HTTP \(response.status.code)"
            )
        }
        return try CanonicalJSON.decoder().decode(Reply.self, from: data)
    }
}
