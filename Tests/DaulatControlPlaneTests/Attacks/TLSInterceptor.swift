import Crypto
import DaulatPKI
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization
import X509

/// A man in the middle on loopback: it answers TLS with a certificate from its own authority for
/// 127.0.0.1 and localhost (or with a stolen identity: an enrolled host's own certificate and key),
/// opens its own TLS connection to the real server (trusting anything), and relays both ways, keeping
/// every byte a client sent it in the clear. Whatever a client would not have sent to an impostor ends
/// up in ``seen``.
actor TLSInterceptor {
    private(set) var port = 0
    let targetPort: Int
    /// The authority the interceptor's own certificate chains to: what a careless client would be handed.
    nonisolated let authority: CertificateAuthority
    /// Presented instead of a certificate of its own authority, when set: PEM certificate and key.
    nonisolated let identity: (certificate: String, key: String)?
    private let recorded = Recorded()
    private var server: (any Channel)?

    /// Bytes clients sent, decrypted.
    private final class Recorded: Sendable {
        let bytes = Mutex<[UInt8]>([])
    }

    init(targetPort: Int, presenting identity: (certificate: String, key: String)? = nil) throws {
        self.targetPort = targetPort
        self.identity = identity
        authority = try CertificateAuthority.create(trustDomain: "interceptor.invalid")
    }

    /// What clients sent through it, as text.
    var seen: String { String(decoding: recorded.bytes.withLock { $0 }, as: UTF8.self) }

    func open() async throws {
        let chain: [String]
        let keyPEM: String
        if let identity {
            (chain, keyPEM) = ([identity.certificate], identity.key)
        } else {
            let key = P256.Signing.PrivateKey()
            let certificate = try authority.issueServerCertificate(
                publicKey: Certificate.PublicKey(key.publicKey), names: ["127.0.0.1", "localhost"], lifetime: 3_600,
                listener: "API")
            chain = [try certificate.serializeAsPEM().pemString, try authority.certificatePEM]
            keyPEM = key.pemRepresentation
        }
        let serverContext = try NIOSSLContext(
            configuration: .makeServerConfiguration(
                certificateChain: try chain.map {
                    .certificate(try NIOSSLCertificate(bytes: Array($0.utf8), format: .pem))
                },
                privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem))))
        var upstreamConfiguration = TLSConfiguration.makeClientConfiguration()
        upstreamConfiguration.certificateVerification = .none
        let upstreamContext = try NIOSSLContext(configuration: upstreamConfiguration)
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: serverContext))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        self.server = server.channel
        port = server.channel.localAddress?.port ?? 0
        let (targetPort, recorded) = (self.targetPort, self.recorded)
        Task {
            try? await server.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await client in inbound {
                        group.addTask {
                            await Self.relay(client, to: targetPort, context: upstreamContext, recorded: recorded)
                        }
                    }
                }
            }
        }
    }

    func close() async {
        try? await server?.close()
        server = nil
    }

    private static func relay(
        _ client: NIOAsyncChannel<ByteBuffer, ByteBuffer>, to targetPort: Int, context: NIOSSLContext,
        recorded: Recorded
    ) async {
        do {
            let upstream = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: targetPort) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            try NIOSSLClientHandler(context: context, serverHostname: nil))
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
            try await client.executeThenClose { clientIn, clientOut in
                try await upstream.executeThenClose { upstreamIn, upstreamOut in
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            for try await bytes in clientIn {
                                recorded.bytes.withLock { $0 += bytes.readableBytesView }
                                try await upstreamOut.write(bytes)
                            }
                        }
                        group.addTask { for try await bytes in upstreamIn { try await clientOut.write(bytes) } }
                        try await group.next()
                        group.cancelAll()
                    }
                }
            }
        } catch {
            try? await client.channel.close()
        }
    }
}
