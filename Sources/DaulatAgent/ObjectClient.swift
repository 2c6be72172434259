import AsyncHTTPClient
import DaulatCore
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOSSL

/// HTTPS to agents' object servers, for data owners and for agents copying from each other.
public enum ObjectClient {
    /// Runs `body` with a client that trusts the alliance's authority only. Agents are reached by
    /// address and their certificates name their host identity, not an address, so the name is not
    /// checked: any certificate this authority issued is an enrolled agent, and the ticket names the
    /// one host that will accept it.
    public static func withClient<Result: Sendable>(
        trusting authorityPEM: String, _ body: (HTTPClient) async throws -> Result
    )
        async throws -> Result
    {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(authorityPEM.utf8), format: .pem)])
        tls.certificateVerification = .noHostnameVerification
        tls.minimumTLSVersion = .tlsv12
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        do {
            let result = try await body(client)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// Starts downloading `url` with `ticket`; the response's body is the object's bytes.
    public static func get(_ url: String, ticket: String, client: HTTPClient) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Authorization", value: "Ticket \(ticket)")
        let response = try await client.execute(request, timeout: .hours(12))
        guard response.status == .ok else { throw try await refusal(response) }
        return response
    }

    /// The agent's error, from its body.
    public static func refusal(_ response: HTTPClientResponse) async throws -> AgentError {
        let body = try await response.body.collect(upTo: 1 << 20)
        let envelope = try? JSONDecoder().decode(ErrorBody.self, from: Data(buffer: body))
        return AgentError(
            status: Int(response.status.code), code: envelope?.error.code,
            message: "the agent refused: \(envelope?.error.message ?? "HTTP \(response.status.code)")"
        )
    }
}
