import DaulatAgent
import DaulatCore
import DaulatCrypto
import DaulatFiles
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
        /// How enrolment may reach the API besides the authority the join token pins.
        public var enrolment: EnrolmentTransport
        /// Credentials, keystore and decision ledger.
        public var dataDirectory: URL
        /// Seals every key file at rest.
        public var keystoreKey: AtRestKey
        /// The states' keys, from the charter file its own state gave it.
        public var charter: AllianceCharter
        public var heartbeatInterval: Duration
        /// Where its listener binds (port 0: any free port), and the host name clients use.
        public var host: String
        public var port: Int
        public var advertisedHost: String

        public init(
            serverURL: String, listenerURL: String, joinToken: String?, dataDirectory: URL, keystoreKey: AtRestKey,
            charter: AllianceCharter, heartbeatInterval: Duration = .seconds(10), host: String = "127.0.0.1",
            port: Int = 0,
            advertisedHost: String? = nil, enrolment: EnrolmentTransport = EnrolmentTransport()
        ) {
            self.enrolment = enrolment
            self.serverURL = serverURL
            self.listenerURL = listenerURL
            self.joinToken = joinToken
            self.dataDirectory = dataDirectory
            self.keystoreKey = keystoreKey
            self.charter = charter
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
            path: "/v1/custodians/enrol", daemon: "custodian", transport: settings.enrolment, logger: logger)
        guard let identity = CustodianIdentity(certificate: credentials.certificate),
            let jurisdiction = try? JurisdictionCode(identity.jurisdiction)
        else {
            throw AgentError(
                message:
                    "the certificate in \(settings.dataDirectory.path) names no custodian; give a custodian its own --data-dir"
            )
        }
        let identityKey = try CustodianIdentityKey.loadOrCreate(in: settings.dataDirectory)
        // Said at every start, for the state's administrators to compare with the key the draft of
        // its record pins (daulat site sign --dry-run).
        logger.notice(
            "identity key", metadata: ["daulat.identity_key": "\(identityKey.publicKey.description)"])
        let keystore = try SoftwareKeystore(
            directory: settings.dataDirectory, sealingKey: settings.keystoreKey, custodianID: identity.custodianID)
        let authority = try Certificate(pemEncoded: credentials.authorityPEM)
        let policy = PublishedPolicy(
            rules: try PinnedPolicy(
                charter: settings.charter, file: settings.dataDirectory.appendingPathComponent("policy.json")))
        let release = ShareRelease(
            keystore: keystore,
            ledger: try SingleUseLedger(directory: settings.dataDirectory.appendingPathComponent("decisions")),
            authority: authority, policy: policy, jurisdiction: jurisdiction,
            custodianID: identity.custodianID)
        let session = try EnrolledSession(
            connection: try AgentConnection(credentials: credentials, listenerURL: settings.listenerURL),
            renewPath: "/custodian/v1/renew")
        try await session.serving {
            let server = CustodianServer(
                custodianID: identity.custodianID, identityKey: identityKey, release: release, session: session,
                logger: logger)
            let advertisedHost = settings.advertisedHost
            let application = try server.application(
                host: settings.host, port: settings.port,
                onRunning: { [logger] port in
                    session.setURL("https://\(advertisedHost):\(port)")
                    logger.notice("serving keys", metadata: ["daulat.custodian_port": "\(port)"])
                })
            // Heartbeats bring work; it is done beside them, so a long rotation never silences the custodian.
            let (orders, delivery) = AsyncStream.makeStream(
                of: [CustodyTask].self, bufferingPolicy: .bufferingNewest(1))
            let runner = CustodyTaskRunner(
                keystore: keystore, connection: session.connection,
                directory: settings.dataDirectory.appendingPathComponent("rotations"), logger: logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await application.run() }
                group.addTask {
                    try await cancelWhenGracefulShutdown {
                        try await self.report(
                            session, delivering: delivery, custodianID: identity.custodianID,
                            identityKey: identityKey.publicKey.description, authority: authority, policy: policy)
                    }
                }
                group.addTask {
                    await cancelWhenGracefulShutdown { await self.work(orders, runner: runner) }
                }
                try await group.waitForAll()
            }
        }
    }

    /// Does each delivered list of tasks in turn; a task that fails is tried again with a later list.
    /// A list delivered while a task ran may still name it: one done is not done again.
    private func work(_ orders: AsyncStream<[CustodyTask]>, runner: CustodyTaskRunner) async {
        var finished = Set<String>()
        for await tasks in orders {
            for task in tasks where !Task.isCancelled && !finished.contains(task.id) {
                do {
                    try await runner.run(task)
                    finished.insert(task.id)
                } catch  where !Task.isCancelled {
                    logger.warning(
                        "custody task failed; will retry",
                        metadata: ["daulat.task": "\(task.id)", "daulat.error": "\(error)"])
                } catch {
                    return
                }
            }
        }
    }

    /// Heartbeats, each bringing back the open work, signed by the control plane for this custodian and
    /// this moment: checked before it is handed on, so nothing in between can order a key destroyed;
    /// and the rules and agreements, which `policy` believes only as far as the states signed them.
    private func report(
        _ session: EnrolledSession, delivering delivery: AsyncStream<[CustodyTask]>.Continuation, custodianID: String,
        identityKey: String, authority: Certificate, policy: PublishedPolicy
    ) async throws {
        defer { delivery.finish() }
        while !Task.isCancelled {
            await session.renewIfDue(savingIn: settings.dataDirectory, logger: logger)
            if let url = session.url {
                do {
                    let reply = try await session.connection.post(
                        "/custodian/v1/heartbeat", CustodianMessages.Heartbeat(url: url, identityKey: identityKey),
                        as: CustodianMessages.HeartbeatReply.self)
                    for line in try policy.update(reply.policy) {
                        logger.warning(
                            "rules rolled back by the control plane; kept", metadata: ["daulat.kept": "\(line)"])
                    }
                    let order = try SignedDocument.verify(
                        reply.tasks, as: CustodyTaskOrder.self, purpose: CustodyTaskOrder.signaturePurpose,
                        authority: authority)
                    if order.isFor(custodianID, at: Date()) {
                        delivery.yield(order.tasks.filter { $0.custodianID == custodianID })
                    } else {
                        logger.warning(
                            "custody tasks refused: not for this custodian, or not issued now",
                            metadata: ["daulat.issued_at": "\(order.issuedAt)"])
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
