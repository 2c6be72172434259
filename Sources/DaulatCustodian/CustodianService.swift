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
/// a steady interval (and does the custody tasks the reply brings), and renews its certificate two
/// thirds of the way through its life.
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

    public init(settings: Settings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    public func run() async throws {
        let credentials = try await AgentEnrolment.credentials(
            in: settings.dataDirectory, joinToken: settings.joinToken, serverURL: settings.serverURL,
            path: "/v1/custodians/enrol", daemon: "custodian", logger: logger)
        guard let identity = CustodianIdentity(certificate: credentials.certificate),
            let jurisdiction = try? JurisdictionCode(identity.jurisdiction)
        else {
            throw AgentError(
                message:
                    "the certificate in \(settings.dataDirectory.path) names no custodian; give a custodian its own --data-dir"
            )
        }
        let keystore = try SoftwareKeystore(
            directory: settings.dataDirectory, sealingKey: settings.keystoreKey, custodianID: identity.custodianID)
        let authority = try Certificate(pemEncoded: credentials.authorityPEM)
        let release = ShareRelease(
            keystore: keystore, ledger: try DecisionLedger(directory: settings.dataDirectory),
            authority: authority, jurisdiction: jurisdiction)
        let session = try EnrolledSession(
            connection: try AgentConnection(credentials: credentials, listenerURL: settings.listenerURL),
            renewPath: "/custodian/v1/renew")
        try await session.serving {
            let server = CustodianServer(
                custodianID: identity.custodianID, release: release, session: session, logger: logger)
            let advertisedHost = settings.advertisedHost
            let application = try server.application(
                host: settings.host, port: settings.port,
                onRunning: { [logger] port in
                    session.setURL("https://\(advertisedHost):\(port)")
                    logger.notice("serving keys", metadata: ["daulat.custodian_port": "\(port)"])
                })
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await application.run() }
                group.addTask {
                    try await cancelWhenGracefulShutdown {
                        try await self.report(
                            session,
                            tasks: CustodyTaskRunner(
                                keystore: keystore, connection: session.connection,
                                directory: self.settings.dataDirectory.appendingPathComponent("rotations"),
                                logger: self.logger),
                            custodianID: identity.custodianID, authority: authority)
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    /// Heartbeats, and after each the work they bring back: tasks are signed by the control plane and
    /// checked before anything is done, so nothing in between can order a key destroyed.
    private func report(
        _ session: EnrolledSession, tasks runner: CustodyTaskRunner, custodianID: String, authority: Certificate
    ) async throws {
        while !Task.isCancelled {
            await session.renewIfDue(savingIn: settings.dataDirectory, logger: logger)
            if let url = session.url {
                do {
                    let reply = try await session.connection.post(
                        "/custodian/v1/heartbeat", CustodianMessages.Heartbeat(url: url),
                        as: CustodianMessages.HeartbeatReply.self)
                    let tasks = try SignedDocument.verify(
                        reply.tasks, as: [CustodyTask].self, purpose: CustodyTask.signaturePurpose,
                        authority: authority)
                    for task in tasks where task.custodianID == custodianID {
                        do {
                            try await runner.run(task)
                        } catch  where !Task.isCancelled {
                            logger.warning(
                                "custody task failed; will retry",
                                metadata: ["daulat.task": "\(task.id)", "daulat.error": "\(error)"])
                        }
                    }
                } catch  where !Task.isCancelled {
                    logger.warning("heartbeat failed; will retry", metadata: ["daulat.error": "\(error)"])
                } catch {
                    break  // Cancelled mid-heartbeat: the service group is shutting down.
                }
            }
            do {
                // The first report goes as soon as the listener is up.
                try await Task.sleep(for: session.url == nil ? .milliseconds(100) : settings.heartbeatInterval)
            } catch {
                break  // Cancelled: the service group is shutting down.
            }
        }
    }
}
