import Crypto
import DaulatPKI
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOCore
import NIOSSL
import Synchronization
import X509

/// The public API's TLS: a certificate chain and key from files (the operator's own PKI), or one the
/// built-in authority issues for the names clients dial, made when the authority is loaded from the
/// store — after the application is built, before it listens. Plain HTTP is the absence of this.
public final class PublicListenerTLS: Sendable {
    public enum Source: Sendable {
        /// PEM files: the certificate chain (leaf first) and its private key.
        case files(certificateChain: URL, privateKey: URL)
        /// Issued by the built-in authority for these DNS names and IPv4 addresses.
        case authority(names: [String])
    }

    let source: Source
    /// The server builder the application listens with.
    let server: HTTPServerBuilder
    /// The issued certificate and key, once the authority is loaded; a handshake before then fails.
    private let issued = Issued()

    /// Shared by the handshake callback and ``activate(_:now:)``.
    private final class Issued: Sendable {
        let current = Mutex<(chain: [NIOSSLCertificateSource], key: NIOSSLPrivateKeySource)?>(nil)
    }

    public init(_ source: Source) throws {
        self.source = source
        let issued = self.issued
        var configuration: TLSConfiguration
        switch source {
        case .files(let chainFile, let keyFile):
            let chain: [NIOSSLCertificate]
            let key: NIOSSLPrivateKey
            do {
                chain = try NIOSSLCertificate.fromPEMFile(chainFile.path)
                key = try NIOSSLPrivateKey(file: keyFile.path, format: .pem)
            } catch {
                throw PublicListenerTLSError(
                    message: "cannot read the TLS certificate \(chainFile.path) or key \(keyFile.path): \(error)")
            }
            guard !chain.isEmpty else {
                throw PublicListenerTLSError(message: "\(chainFile.path) holds no PEM certificate")
            }
            configuration = .makeServerConfiguration(
                certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        case .authority(let names):
            guard !names.isEmpty else {
                throw PublicListenerTLSError(message: "the API's certificate needs at least one name (--tls-name)")
            }
            // The context needs a certificate to be made at all; every handshake replaces it with the
            // issued one, and none is answered before there is one.
            let placeholderKey = P256.Signing.PrivateKey()
            let placeholder = try CertificateAuthority.create(trustDomain: "placeholder.invalid")
                .issueServerCertificate(
                    publicKey: Certificate.PublicKey(placeholderKey.publicKey), names: ["placeholder.invalid"],
                    lifetime: 3_600, listener: "API")
            configuration = .makeServerConfiguration(
                certificateChain: [
                    .certificate(
                        try NIOSSLCertificate(
                            bytes: Array(try placeholder.serializeAsPEM().pemString.utf8), format: .pem))
                ],
                privateKey: .privateKey(
                    try NIOSSLPrivateKey(bytes: Array(placeholderKey.pemRepresentation.utf8), format: .pem)))
            configuration.sslContextCallback = { _, promise in
                guard let current = issued.current.withLock({ $0 }) else {
                    promise.fail(PublicListenerTLSError(message: "the API certificate is not issued yet"))
                    return
                }
                var override = NIOSSLContextConfigurationOverride()
                override.certificateChain = current.chain
                override.privateKey = current.key
                promise.succeed(override)
            }
        }
        configuration.minimumTLSVersion = .tlsv12
        server = try .tls(tlsConfiguration: configuration)
    }

    /// Issues the API's certificate from `authority` when it is the source; a year's life, renewed at
    /// every start. Certificates from files are left as they are.
    func activate(_ authority: CertificateAuthority, now: Date) throws {
        guard case .authority(let names) = source else { return }
        let key = P256.Signing.PrivateKey()
        let certificate = try authority.issueServerCertificate(
            publicKey: Certificate.PublicKey(key.publicKey), names: names, lifetime: 365 * 86_400, now: now,
            listener: "API")
        let chain: [NIOSSLCertificateSource] = [
            .certificate(
                try NIOSSLCertificate(bytes: Array(try certificate.serializeAsPEM().pemString.utf8), format: .pem)),
            .certificate(try NIOSSLCertificate(bytes: Array(try authority.certificatePEM.utf8), format: .pem)),
        ]
        let privateKey = NIOSSLPrivateKeySource.privateKey(
            try NIOSSLPrivateKey(bytes: Array(key.pemRepresentation.utf8), format: .pem))
        issued.current.withLock { $0 = (chain, privateKey) }
    }
}
