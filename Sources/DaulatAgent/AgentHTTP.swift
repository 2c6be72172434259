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

    /// Posts `body` where the answer is only an acknowledgement (204).
    public static func tell(_ url: String, _ body: some Encodable, client: HTTPClient) async throws {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(data: try CanonicalJSON.encoder().encode(body)))
        let response = try await execute(request, client: client, timeout: .seconds(30))
        guard response.status == .noContent else {
            throw failure(response, body: Data(buffer: try await response.body.collect(upTo: 1 << 20)))
        }
    }

    private static func send<Reply: Decodable>(
        _ request: HTTPClientRequest, as reply: Reply.Type, client: HTTPClient, timeout: TimeAmount,
        limit: Int = 1 << 20
    )
        async throws -> Reply
    {
        let response = try await execute(request, client: client, timeout: timeout)
        let data = Data(buffer: try await response.body.collect(upTo: limit))
        guard (200..<300).contains(response.status.code) else { throw failure(response, body: data) }
        return try CanonicalJSON.decoder().decode(Reply.self, from: data)
    }

    private static func execute(_ request: HTTPClientRequest, client: HTTPClient, timeout: TimeAmount) async throws
        -> HTTPClientResponse
    {
        do {
            return try await client.execute(request, timeout: timeout)
        } catch {
            throw AgentError(message: "cannot reach \(request.url): \(error)")
        }
    }

    /// The error the other side's answer describes, with its code when it gave one.
    private static func failure(_ response: HTTPClientResponse, body: Data) -> AgentError {
        let envelope = try? JSONDecoder().decode(ErrorBody.self, from: body)
        return AgentError(
            status: Int(response.status.code), code: envelope?.error.code,
            message: envelope?.error.message ?? "the control plane answered HTTP \(response.status.code)")
    }
}
