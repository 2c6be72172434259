import AsyncHTTPClient
import Crypto
import DaulatCore
import DaulatPKI
import Foundation
import NIOCore
import NIOSSL

/// The agent's mutual-TLS connection to the control plane's agent listener, with one certificate.
/// A renewal gives a new connection; the old one is shut down.
public final class AgentConnection: Sendable {
    public let credentials: AgentCredentials
    let listenerURL: String
    let client: HTTPClient

    public init(credentials: AgentCredentials, listenerURL: String) throws {
        self.credentials = credentials
        self.listenerURL = listenerURL
        client = try Self.makeClient(credentials: credentials)
    }

    /// An HTTPS client presenting `credentials` and trusting only the alliance's authority: how agents
    /// and custodians reach the control plane's agent listener.
    public static func makeClient(credentials: AgentCredentials) throws -> HTTPClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        // A connection closed mid-wait (a long poll for assignments) need not wait long for the
        // control plane's goodbye; shutting down an agent should be prompt.
        tls.shutdownTimeout = .milliseconds(500)
        tls.certificateVerification = .fullVerification
        tls.trustRoots = .certificates([
            try NIOSSLCertificate(bytes: Array(credentials.authorityPEM.utf8), format: .pem)
        ])
        tls.certificateChain = [
            .certificate(try NIOSSLCertificate(bytes: Array(credentials.certificatePEM.utf8), format: .pem))
        ]
        tls.privateKey = .privateKey(
            try NIOSSLPrivateKey(bytes: Array(credentials.privateKey.pemRepresentation.utf8), format: .pem))
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(30))
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func heartbeat(_ heartbeat: AgentMessages.Heartbeat) async throws -> AgentMessages.HeartbeatReceipt {
        try await post("/agent/v1/heartbeat", heartbeat, as: AgentMessages.HeartbeatReceipt.self)
    }

    /// Reports a copy now held, with the ticket it came with.
    public func report(_ copy: AgentMessages.CopyReport) async throws {
        try await tell("/agent/v1/copies", copy)
    }

    /// Says this agent sent a whole object to the host its download ticket names.
    public func served(_ transfer: AgentMessages.ServedTransfer) async throws {
        try await tell("/agent/v1/transfers", transfer)
    }

    /// About 60,000 objects lacking a copy (each with a ticket), or 200,000 held: a host's whole set.
    static var largestAssignmentSet: Int { 64 << 20 }

    /// The signed assignments once they differ from `revision`, or after the control plane's wait.
    public func assignments(after revision: String) async throws -> String {
        let query = revision.isEmpty ? "" : "?after=\(revision)"
        return try await AgentHTTP.get(
            listenerURL + "/agent/v1/assignments" + query, as: AgentMessages.SignedAssignments.self, client: client,
            timeout: .seconds(60), limit: Self.largestAssignmentSet
        ).signed
    }

    public func inventory(_ inventory: AgentMessages.Inventory) async throws -> AgentMessages.InventoryReceipt {
        try await AgentHTTP.post(
            listenerURL + "/agent/v1/inventory", inventory, as: AgentMessages.InventoryReceipt.self, client: client,
            timeout: .seconds(120), limit: Self.largestAssignmentSet)
    }

    public func refuse(_ refusal: AgentMessages.Refusal) async throws {
        try await tell("/agent/v1/refusals", refusal)
    }

    public func released(_ release: AgentMessages.Release) async throws {
        try await tell("/agent/v1/releases", release)
    }

    /// Posts a message the control plane only acknowledges (204).
    public func tell(_ path: String, _ message: some Encodable) async throws {
        try await AgentHTTP.tell(listenerURL + path, message, client: client)
    }

    /// Reads `path` on the agent listener.
    public func get<Reply: Decodable>(_ path: String, as reply: Reply.Type, limit: Int = 1 << 20) async throws
        -> Reply
    {
        try await AgentHTTP.get(listenerURL + path, as: reply, client: client, timeout: .seconds(60), limit: limit)
    }

    /// A new key and certificate for the same identity, obtained with the current one at `path`
    /// (agents and custodians renew at their own).
    public func renew(path: String = "/agent/v1/renew") async throws -> AgentCredentials {
        let key = P256.Signing.PrivateKey()
        let issued = try await post(
            path, AgentMessages.Renewal(csr: try CertificateRequest.pem(signedBy: key)), as: IssuedCredentials.self)
        return try AgentCredentials(
            privateKey: key, certificatePEM: issued.certificate, authorityPEM: issued.caCertificate)
    }

    /// Posts `body` as JSON to `path` on the agent listener and reads the answer.
    public func post<Reply: Decodable>(_ path: String, _ body: some Encodable, as reply: Reply.Type) async throws
        -> Reply
    {
        try await AgentHTTP.post(listenerURL + path, body, as: reply, client: client)
    }

    public func shutdown() async {
        try? await client.shutdown()
    }
}
