import AsyncHTTPClient
import DaulatCore
import DaulatPKI
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOSSL
import SwiftASN1
import Synchronization
import X509

/// The certificate authorities a client of the control plane trusts beyond the system's: the alliance's
/// authority, pinned by a file or by its fingerprint, and the operator's own CA when the API's
/// certificate comes from it. Nothing is trusted because a server named it: an authority fetched from
/// a server is kept only if it hashes to the fingerprint the client was given.
public struct TrustedRoots: Sendable {
    /// PEM, one certificate each.
    public let certificates: [String]

    public init(certificates: [String]) {
        self.certificates = certificates
    }

    /// The certificates in a PEM file (one or several).
    public static func load(_ file: URL) throws -> TrustedRoots {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw AgentError(message: "cannot read the CA certificate file \(file.path): \(error.localizedDescription)")
        }
        let documents = (try? PEMDocument.parseMultiple(pemString: text)) ?? []
        let certificates = documents.filter { $0.discriminator == "CERTIFICATE" }.map(\.pemString)
        guard !certificates.isEmpty, certificates.allSatisfy({ (try? Certificate(pemEncoded: $0)) != nil }) else {
            throw AgentError(message: "\(file.path) holds no PEM certificate")
        }
        return TrustedRoots(certificates: certificates)
    }

    /// The alliance's authority as the server at `serverURL` presents it (`GET /v1/ca`), if it hashes to
    /// `fingerprint`. The connection cannot be checked yet — that is what the fingerprint is for — so
    /// nothing but this public certificate is sent or read over it.
    public static func fetchAuthority(from serverURL: String, pinned fingerprint: AuthorityFingerprint) async throws
        -> String
    {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .none
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        let presented: AuthorityCertificate
        do {
            presented = try await AgentHTTP.get(
                serverURL + "/v1/ca", as: AuthorityCertificate.self, client: client, timeout: .seconds(30))
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw AgentError(message: "cannot fetch the certificate authority from \(serverURL): \(error)")
        }
        let actual = try? AuthorityFingerprint(ofPEM: presented.certificate)
        guard actual == fingerprint else {
            throw AgentError(
                code: "authority_mismatch",
                message:
                    "the server at \(serverURL) presents a certificate authority with fingerprint \(actual?.description ?? "(unreadable)"), not the pinned \(fingerprint): refusing to trust it (a server that is not the control plane, or someone in between)"
            )
        }
        return presented.certificate
    }

    /// These and `other`'s certificates.
    public func adding(_ other: TrustedRoots?) -> TrustedRoots {
        TrustedRoots(certificates: certificates + (other?.certificates ?? []))
    }

    /// The pinned certificate that is `presented` (an authority a server named for its agents or
    /// custodians): the pin, never the server's word.
    public func authority(matching presented: String) throws -> String {
        guard let fingerprint = try? AuthorityFingerprint(ofPEM: presented),
            let pinned = certificates.first(where: { fingerprint.matches(pem: $0) })
        else {
            throw AgentError(
                code: "authority_mismatch",
                message:
                    "the control plane names a certificate authority for its agents and custodians that is not the one pinned here (--ca-cert, --ca-fingerprint or DAULAT_CA_CERT): refusing to trust it"
            )
        }
        return pinned
    }

    /// A client for the public API that trusts the system's roots and these, checking the server's name;
    /// one per set of roots for the life of the process.
    public func client() throws -> HTTPClient {
        try Self.clients.withLock { clients in
            let key = certificates.joined()
            if let client = clients[key] { return client }
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.minimumTLSVersion = .tlsv12
            tls.additionalTrustRoots = [
                .certificates(try certificates.map { try NIOSSLCertificate(bytes: Array($0.utf8), format: .pem) })
            ]
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
            clients[key] = client
            return client
        }
    }

    /// Kept, like `HTTPClient.shared`, until the process ends.
    private static let clients = Mutex<[String: HTTPClient]>([:])
}
