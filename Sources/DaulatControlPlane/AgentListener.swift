import Crypto
import DaulatCore
import DaulatPKI
import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import NIOSSL
import ServiceLifecycle
import X509

/// The listener agents talk to, apart from the public API: mutual TLS only, client certificates
/// checked against the built-in authority alone (a certificate from any other CA, an expired one, none
/// at all, or plain HTTP never get past the handshake), then against the store on every request.
public final class AgentListener<Store: DaulatStore>: Service, Sendable {
    let settings: AgentListenerSettings
    let store: Store
    let certificates: AgentCertificates<Store>
    let assignments: AssignmentBuilder<Store>
    let changes: AssignmentChanges
    let logger: Logger
    let clock: @Sendable () -> Date
    let onRunning: @Sendable (Int) async -> Void
    private let authority:
        (stream: AsyncStream<CertificateAuthority>, continuation: AsyncStream<CertificateAuthority>.Continuation)

    init(
        settings: AgentListenerSettings,
        store: Store,
        certificates: AgentCertificates<Store>,
        assignments: AssignmentBuilder<Store>,
        changes: AssignmentChanges,
        logger: Logger,
        clock: @escaping @Sendable () -> Date,
        onRunning: @escaping @Sendable (Int) async -> Void
    ) {
        self.settings = settings
        self.store = store
        self.certificates = certificates
        self.assignments = assignments
        self.changes = changes
        self.logger = logger
        self.clock = clock
        self.onRunning = onRunning
        self.authority = AsyncStream.makeStream(of: CertificateAuthority.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Starts listening with this authority; called once the database is known to be ready.
    func activate(_ authority: CertificateAuthority) {
        self.authority.continuation.yield(authority)
        self.authority.continuation.finish()
    }

    public func run() async throws {
        let stream = authority.stream
        guard let authority = await cancelWhenGracefulShutdown({ await stream.first { _ in true } }) ?? nil else {
            return
        }
        let router = Router(context: AgentRequestContext.self)
        router.add(middleware: ErrorMappingMiddleware())
        router.add(middleware: AgentAuthenticationMiddleware(certificates: certificates))
        AgentAPIController(
            store: store, certificates: certificates, assignments: assignments, changes: changes, clock: clock
        ).addRoutes(
            to: router.group("agent/v1"))
        CustodianAPIController(store: store, certificates: certificates, clock: clock).addRoutes(
            to: router.group("custodian/v1"))
        let onRunning = self.onRunning
        let app = Application(
            router: router,
            server: try .tls(tlsConfiguration: try tlsConfiguration(authority)),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "daulat-agents"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        try await app.run()
    }

    /// A fresh key and a certificate from the authority at every start: agents trust the authority,
    /// so nothing about the listener's own key needs keeping.
    private func tlsConfiguration(_ authority: CertificateAuthority) throws -> TLSConfiguration {
        let key = P256.Signing.PrivateKey()
        let certificate = try authority.issueServerCertificate(
            publicKey: Certificate.PublicKey(key.publicKey), names: settings.names, lifetime: 365 * 86_400, now: clock()
        )
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: [
                .certificate(
                    try NIOSSLCertificate(bytes: Array(try certificate.serializeAsPEM().pemString.utf8), format: .pem))
            ],
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(key.pemRepresentation.utf8), format: .pem))
        )
        configuration.minimumTLSVersion = .tlsv12
        configuration.certificateVerification = .noHostnameVerification
        configuration.trustRoots = .certificates([
            try NIOSSLCertificate(bytes: Array(try authority.certificatePEM.utf8), format: .pem)
        ])
        return configuration
    }
}
