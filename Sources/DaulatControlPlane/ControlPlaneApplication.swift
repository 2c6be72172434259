import DaulatCore
import DaulatPKI
import Foundation
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle

/// Builds the control plane's HTTP application over a store: routes, authentication, error mapping,
/// metrics, and the placement reconciler as a service of the application.
public enum ControlPlaneApplication {
    public struct Settings: Sendable {
        public var host: String
        public var port: Int
        /// How often placements are re-planned when nothing asks sooner.
        public var reconcileInterval: Duration
        /// The certificate authority and the agent listener; without them agents cannot enrol.
        public var agents: AgentSettings?
        /// How long a shred waits before it executes, for second thoughts; a request may ask for longer.
        public var shredWindow: TimeInterval
        /// The longest life an API token may be given.
        public var longestTokenLifetime: TimeInterval
        /// The token a metrics scraper presents for `/metrics`; without one, only operator tokens may read it.
        public var metricsToken: String?
        /// The public API's TLS; nil serves plain HTTP (behind a TLS-terminating proxy, or in tests).
        public var tls: PublicListenerTLS?

        public init(
            host: String = "127.0.0.1", port: Int = 8080, reconcileInterval: Duration = .seconds(30),
            agents: AgentSettings? = nil, shredWindow: TimeInterval = 86_400,
            longestTokenLifetime: TimeInterval = 365 * 86_400, metricsToken: String? = nil,
            tls: PublicListenerTLS? = nil
        ) {
            self.host = host
            self.port = port
            self.reconcileInterval = reconcileInterval
            self.agents = agents
            self.shredWindow = shredWindow
            self.longestTokenLifetime = longestTokenLifetime
            self.metricsToken = metricsToken
            self.tls = tls
        }
    }

    public struct AgentSettings: Sendable {
        public var listener: AgentListenerSettings
        public var sealingKey: CertificateAuthorityKey
        /// Names the alliance in agent identities; used when the authority is first created.
        public var trustDomain: String
        public var certificateLifetime: TimeInterval
        /// How long an agent that has reported may fall silent before its host is taken out of
        /// placement (and its copies made elsewhere).
        public var heartbeatGrace: TimeInterval

        public init(
            listener: AgentListenerSettings,
            sealingKey: CertificateAuthorityKey,
            trustDomain: String,
            certificateLifetime: TimeInterval = 86_400,
            heartbeatGrace: TimeInterval = 60
        ) {
            self.listener = listener
            self.sealingKey = sealingKey
            self.trustDomain = trustDomain
            self.certificateLifetime = certificateLifetime
            self.heartbeatGrace = heartbeatGrace
        }
    }

    public static func build<Store: DaulatStore>(
        store: Store,
        settings: Settings,
        registry: PrometheusCollectorRegistry,
        logger: Logger,
        services: [any Service] = [],
        clients: [any Service] = [],
        clock: @escaping @Sendable () -> Date = Date.init,
        beforeServerStarts: @escaping @Sendable () async throws -> Void = {},
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in },
        onAgentListenerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let placements = PlacementService(store: store)
        let changes = AssignmentChanges()
        let auditTree = AuditTree(store: store, logger: logger)
        let reconciler = PlacementReconciler(
            placements: placements, interval: settings.reconcileInterval, changes: changes,
            heartbeatGrace: settings.agents?.heartbeatGrace, auditTree: auditTree, logger: logger)
        let certificates = AgentCertificates(store: store, lifetime: settings.agents?.certificateLifetime ?? 86_400)
        let agentListener = settings.agents.map { agents in
            AgentListener(
                settings: agents.listener, store: store, certificates: certificates,
                assignments: AssignmentBuilder(store: store, placements: placements, certificates: certificates),
                changes: changes,
                logger: logger, clock: clock,
                onRunning: onAgentListenerRunning
            )
        }
        let router = buildRouter(
            store: store, placements: placements, reconciler: reconciler, certificates: certificates, changes: changes,
            auditTree: auditTree, registry: registry, shredWindow: settings.shredWindow,
            longestTokenLifetime: settings.longestTokenLifetime, metricsToken: settings.metricsToken,
            logOrigin: Checkpoint.origin(trustDomain: settings.agents?.trustDomain ?? "daulat.local"), clock: clock
        )
        var app = Application(
            router: router,
            server: settings.tls?.server ?? .http1(),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "daulat"),
            // Shut down in reverse: clients of the control plane first, what it depends on last.
            services: services + [reconciler] + (agentListener.map { [$0] } ?? []) + clients,
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? settings.port) },
            logger: logger
        )
        app.beforeServerStarts {
            try await beforeServerStarts()
            if let agents = settings.agents, let agentListener {
                let authority = try await CertificateAuthority.loadOrCreate(
                    from: store, sealingKey: agents.sealingKey, trustDomain: agents.trustDomain
                )
                certificates.activate(authority)
                agentListener.activate(authority)
                try settings.tls?.activate(authority, now: clock())
                try await auditTree.activate(sealingKey: agents.sealingKey)
            } else if case .authority = settings.tls?.source {
                throw PublicListenerTLSError(
                    message: "the API's certificate is issued by the built-in authority, which needs the agent settings"
                )
            }
            reconciler.activate()
        }
        return app
    }

    static func buildRouter<Store: DaulatStore>(
        store: Store,
        placements: PlacementService<Store>,
        reconciler: PlacementReconciler<Store>,
        certificates: AgentCertificates<Store>,
        changes: AssignmentChanges,
        auditTree: AuditTree<Store>,
        registry: PrometheusCollectorRegistry,
        shredWindow: TimeInterval,
        longestTokenLifetime: TimeInterval,
        metricsToken: String?,
        logOrigin: String,
        clock: @escaping @Sendable () -> Date
    ) -> Router<ControlPlaneContext> {
        let router = Router(context: ControlPlaneContext.self)
        router.add(middleware: ErrorMappingMiddleware())
        router.add(middleware: MetricsMiddleware())
        OperationsController(
            store: store, registry: registry,
            metrics: MetricsAccess(store: store, metricsToken: metricsToken, clock: clock)
        ).addRoutes(to: router)
        let enrolment = AgentEnrolmentController(
            store: store, certificates: certificates, changes: changes, clock: clock)
        enrolment.addEnrolmentRoute(to: router)
        let tokens = TokenCache()
        let v1 = router.group("v1").add(middleware: AuthenticationMiddleware(store: store, cache: tokens, clock: clock))
        enrolment.addOperatorRoutes(to: v1)
        AllianceController(store: store, reconciler: reconciler).addRoutes(to: v1)
        CharterController(store: store, clock: clock).addRoutes(to: v1)
        DatasetController(store: store, placements: placements, reconciler: reconciler, clock: clock).addRoutes(to: v1)
        ObjectController(
            store: store, placements: placements, certificates: certificates, changes: changes, clock: clock
        ).addRoutes(
            to: v1)
        let charter = EstablishedCharter(store: store)
        AgreementController(store: store, reconciler: reconciler, charter: charter, clock: clock).addRoutes(to: v1)
        AllianceRulesController(store: store, reconciler: reconciler, charter: charter, clock: clock).addRoutes(to: v1)
        JurisdictionRecordController(store: store, reconciler: reconciler, charter: charter, clock: clock).addRoutes(
            to: v1)
        CustodyController(
            store: store, placements: placements, certificates: certificates, charter: charter, clock: clock
        ).addRoutes(
            to: v1)
        DisasterRecoveryController(store: store, clock: clock).addRoutes(to: v1)
        HistoryController(store: store, clock: clock).addRoutes(to: v1)
        SimulationController(store: store, placements: placements, clock: clock).addRoutes(to: v1)
        ShredController(store: store, window: shredWindow, clock: clock).addRoutes(to: v1)
        TokenController(store: store, longestLifetime: longestTokenLifetime, cache: tokens, clock: clock).addRoutes(
            to: v1)
        AuditController(store: store, tree: auditTree, clock: clock).addRoutes(to: v1)
        CheckpointController(
            store: store, tree: auditTree, charter: charter, origin: logOrigin, clock: clock
        ).addRoutes(to: v1)
        let reports = ResidencyReportBuilder(store: store, placements: placements, tree: auditTree)
        ReportController(builder: reports, clock: clock).addRoutes(to: v1)
        let dashboard = DashboardController(store: store, certificates: certificates, reports: reports, clock: clock)
        dashboard.addLinkRoute(to: v1)
        dashboard.addPageRoutes(to: router)
        EvacuationController(store: store, tree: auditTree, clock: clock).addRoutes(to: v1)
        QuarantineDecisionController(store: store, charter: charter, changes: changes, clock: clock).addRoutes(to: v1)
        return router
    }
}
