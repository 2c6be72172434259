import AsyncHTTPClient
import DaulatCore
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOSSL

/// HTTPS to agents' object servers and custodians, for data owners and for agents copying from each
/// other.
public enum ObjectClient {
    /// Runs `body` with a client that trusts the alliance's authority only and reaches `peers` by the
    /// names their certificates carry (``PeerAddress/url(_:)``): a certificate the authority issued to
    /// any other host or custodian fails the handshake, so a compromised enrolled host on the path is
    /// refused like a stranger.
    public static func withClient<Result: Sendable>(
        trusting authorityPEM: String, peers: [PeerAddress], _ body: (HTTPClient) async throws -> Result
    )
        async throws -> Result
    {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(authorityPEM.utf8), format: .pem)])
        tls.certificateVerification = .fullVerification
        tls.minimumTLSVersion = .tlsv12
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        for peer in peers {
            guard configuration.dnsOverride[peer.name].map({ $0 == peer.address }) ?? true else {
                throw AgentError(message: "\(peer.name) is listed at two addresses; refusing to guess")
            }
            configuration.dnsOverride[peer.name] = peer.address
        }
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
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
