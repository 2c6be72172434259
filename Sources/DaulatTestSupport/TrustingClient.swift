import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL

/// A client as anyone on the network could be: it trusts the alliance's CA (any certificate it
/// issued, whatever name), and posts JSON to an agent's or custodian's listener.
public enum TrustingClient {
    public static func post(_ body: Data, to url: String, trusting authority: String) async throws -> (
        status: Int, body: String
    ) {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(authority.utf8), format: .pem)])
        tls.certificateVerification = .noHostnameVerification
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(data: body))
        do {
            let response = try await client.execute(request, timeout: .seconds(30))
            let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
            try await client.shutdown()
            return (Int(response.status.code), text)
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}
