import Crypto
import DaulatAgent
import DaulatCore
import DaulatCrypto
import DaulatPKI
import Foundation
import Logging
import ServiceLifecycle
import X509

/// The custodian daemon: enrols once with a join token (or reuses the certificate in its directory),
/// serves key requests and unwraps on its own HTTPS listener, tells the control plane where that is at
/// a steady interval, and renews its certificate two thirds of the way through its life.
public final class CustodianService: Service, Sendable {
    public struct Settings: Sendable {
        /// The public API, for enrolment.
        public var serverURL: String
        /// The agent listener (mutual TLS), where custodians report too.
        public var listenerURL: String
        public var joinToken: String?
        /// Credentials, keystore and decision ledger.
        public var dataDirectory: URL
        /// Seals every key file at rest.
        public var keystoreKey: AtRestKey
        public var heartbeatInterval: Duration
        /// Where its listener binds (port 0: any free port), and the host name clients use.
        public var host: String
        public var port: Int
        public var advertisedHost: String

        public init(
            serverURL: String, listenerURL: String, joinToken: String?, dataDirectory: URL, keystoreKey: AtRestKey,
            heartbeatInterval: Duration = .seconds(10), host: String = "127.0.0.1", port: Int = 0,
            advertisedHost: String? = nil
        ) {
            self.serverURL = serverURL
            self.listenerURL = listenerURL
            self.joinToken = joinToken
            self.dataDirectory = dataDirectory
            self.keystoreKey = keystoreKey
            self.heartbeatInterval = heartbeatInterval
            self.host = host
            self.port = port
            self.advertisedHost = advertisedHost ?? host
        }
    }

    let settings: Settings
    let logger: Logger
    private let listening = ListeningURL()

    public init(settings: Settings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    public func run() async throws {
        let credentials = try await credentials()
        guard let identity = CustodianIdentity(certificate: credentials.certificate),
            let jurisdiction = try? JurisdictionCode(identity.jurisdiction)
        else {
            throw AgentError(message: "the saved certificate names no custodian; enrol again with a new join token")
        }
        let state = try CustodianState(credentials: credentials)
        let keystore = try SoftwareKeystore(
            directory: settings.dataDirectory, sealingKey: settings.keystoreKey, custodianID: identity.custodianID)
        let release = ShareRelease(
            keystore: keystore, ledger: try DecisionLedger(directory: settings.dataDirectory),
            authority: try Certificate(pemEncoded: credentials.authorityPEM), jurisdiction: jurisdiction)
        let server = CustodianServer(
            custodianID: identity.custodianID, jurisdiction: jurisdiction, keystore: keystore, release: release,
            state: state, logger: logger)
        let advertisedHost = settings.advertisedHost
        let listening = self.listening
        let application = try server.application(
            host: settings.host, port: settings.port,
            onRunning: { [logger] port in
                listening.set("https://\(advertisedHost):\(port)")
                logger.notice("serving keys", metadata: ["daulat.custodian_port": "\(port)"])
            })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await application.run() }
            group.addTask { try await cancelWhenGracefulShutdown { try await self.report(state) } }
            try await group.waitForAll()
        }
        try? await state.client.shutdown()
    }

    /// The saved credentials if they are still valid, otherwise new ones from the join token.
    func credentials() async throws -> AgentCredentials {
        let directory = settings.dataDirectory
        if let saved = try AgentCredentials.load(from: directory), saved.certificate.notValidAfter > Date() {
            logger.info("using the saved certificate")
            return saved
        }
        guard let joinToken = settings.joinToken else {
            throw AgentError(
                message:
                    "this custodian has not enrolled, or its certificate expired: pass the join token an operator issued (--join-token or DAULAT_JOIN_TOKEN)"
            )
        }
        let key = P256.Signing.PrivateKey()
        let issued = try await AgentHTTP.post(
            settings.serverURL + "/v1/custodians/enrol",
            AgentMessages.Enrolment(joinToken: joinToken, csr: try CertificateRequest.pem(signedBy: key)),
            as: CustodianMessages.IssuedCertificate.self, client: .shared)
        let enrolled = try AgentCredentials(
            privateKey: key, certificatePEM: issued.certificate, authorityPEM: issued.caCertificate)
        try enrolled.save(to: directory)
        logger.notice("enrolled", metadata: ["daulat.custodian": "\(issued.identity)"])
        return enrolled
    }

    private func report(_ state: CustodianState) async throws {
        while !Task.isCancelled {
            if Date() >= state.credentials.renewAt {
                do {
                    let key = P256.Signing.PrivateKey()
                    let issued = try await AgentHTTP.post(
                        settings.listenerURL + "/custodian/v1/renew",
                        AgentMessages.Renewal(csr: try CertificateRequest.pem(signedBy: key)),
                        as: CustodianMessages.IssuedCertificate.self, client: state.client)
                    let renewed = try AgentCredentials(
                        privateKey: key, certificatePEM: issued.certificate, authorityPEM: issued.caCertificate)
                    try renewed.save(to: settings.dataDirectory)
                    let previous = try state.replace(with: renewed)
                    Task { try? await previous.shutdown() }
                    logger.info(
                        "certificate renewed",
                        metadata: ["daulat.not_after": "\(CanonicalJSON.format(issued.notAfter))"])
                } catch {
                    logger.warning("certificate renewal failed; will retry", metadata: ["daulat.error": "\(error)"])
                }
            }
            if let url = listening.get() {
                do {
                    _ = try await AgentHTTP.post(
                        settings.listenerURL + "/custodian/v1/heartbeat", CustodianMessages.Heartbeat(url: url),
                        as: CustodianMessages.HeartbeatReceipt.self, client: state.client)
                } catch  where !Task.isCancelled {
                    logger.warning("heartbeat failed; will retry", metadata: ["daulat.error": "\(error)"])
                }
            }
            do {
                // The first report goes as soon as the listener is up.
                try await Task.sleep(for: listening.get() == nil ? .milliseconds(100) : settings.heartbeatInterval)
            } catch {
                break  // Cancelled: the service group is shutting down.
            }
        }
    }
}
