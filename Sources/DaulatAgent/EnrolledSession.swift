import DaulatCore
import Foundation
import Logging
import NIOSSL
import Synchronization

/// What an enrolled agent or custodian holds that a certificate renewal replaces: its mutual-TLS
/// connection to the control plane, and the same certificate presented to its own clients (at `url`,
/// once it listens). A renewal takes effect for the next request and the next handshake, without a
/// restart.
public final class EnrolledSession: Sendable {
    private struct Current {
        var connection: AgentConnection
        var certificate: NIOSSLCertificate
        var key: NIOSSLPrivateKey
    }

    private let current: Mutex<Current>
    private let listening = Mutex<String?>(nil)
    /// The agent listener's path that renews this kind of certificate (`/agent/v1/renew`, …).
    private let renewPath: String

    public init(connection: AgentConnection, renewPath: String) throws {
        current = Mutex(try Self.current(connection))
        self.renewPath = renewPath
    }

    public var connection: AgentConnection { current.withLock { $0.connection } }
    public var credentials: AgentCredentials { connection.credentials }
    /// Where its own listener is (`https://host:port`), once it is.
    public var url: String? { listening.withLock { $0 } }

    public func setURL(_ url: String) {
        listening.withLock { $0 = url }
    }

    /// A TLS server configuration whose every handshake presents the certificate held now.
    public func serverConfiguration() -> TLSConfiguration {
        let first = identity()
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: first.certificateChain ?? [], privateKey: first.privateKey!)
        tls.minimumTLSVersion = .tlsv12
        tls.sslContextCallback = { [self] _, promise in promise.succeed(identity()) }
        return tls
    }

    /// Renews the certificate once two thirds of its life have passed, saving it in `directory`. A
    /// failure is logged and tried again at the next call; the current certificate stays in use.
    public func renewIfDue(savingIn directory: URL, logger: Logger) async {
        guard Date() >= credentials.renewAt else { return }
        do {
            let renewed = try await connection.renew(path: renewPath)
            try renewed.save(to: directory)
            let next = try Self.current(
                try AgentConnection(credentials: renewed, listenerURL: connection.listenerURL))
            let previous = current.withLock { current in
                defer { current = next }
                return current.connection
            }
            // Closed in the background: a request still using it (a long wait for assignments) must
            // not hold up the caller.
            Task { await previous.shutdown() }
            logger.info(
                "certificate renewed",
                metadata: ["daulat.not_after": "\(CanonicalJSON.format(renewed.certificate.notValidAfter))"])
        } catch {
            logger.warning("certificate renewal failed; will retry", metadata: ["daulat.error": "\(error)"])
        }
    }

    /// Runs `body`, then shuts the connection down however `body` ended: a client left running when
    /// its owner is gone is a crash.
    public func serving(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            await connection.shutdown()
            throw error
        }
        await connection.shutdown()
    }

    private func identity() -> NIOSSLContextConfigurationOverride {
        current.withLock { current in
            var identity = NIOSSLContextConfigurationOverride()
            identity.certificateChain = [.certificate(current.certificate)]
            identity.privateKey = .privateKey(current.key)
            return identity
        }
    }

    private static func current(_ connection: AgentConnection) throws -> Current {
        let credentials = connection.credentials
        return Current(
            connection: connection,
            certificate: try NIOSSLCertificate(bytes: Array(credentials.certificatePEM.utf8), format: .pem),
            key: try NIOSSLPrivateKey(bytes: Array(credentials.privateKey.pemRepresentation.utf8), format: .pem))
    }
}
