import DaulatCore
import DaulatFiles
import Foundation
import Logging
import ServiceLifecycle

/// The agent daemon: enrols once (or reuses the certificate in its data directory), then reports to
/// the control plane at a steady interval and renews its certificate two thirds of the way through
/// its life, without a restart. A control plane that cannot be reached is retried, never given up on.
public final class AgentService: Service, Sendable {
    public struct Settings: Sendable {
        /// The public API, for enrolment.
        public var serverURL: String
        /// The agent listener (mutual TLS).
        public var listenerURL: String
        public var joinToken: String?
        /// How enrolment may reach the API besides the authority the join token pins.
        public var enrolment: EnrolmentTransport
        public var dataDirectory: URL
        public var heartbeatInterval: Duration
        /// Where the object server listens (port 0: any free port), and the host name clients use.
        public var objectHost: String
        public var objectPort: Int
        public var advertisedHost: String
        /// The jurisdiction the host stands in, as its operator declares it; assignments that would
        /// store a copy elsewhere are refused whatever the control plane says.
        public var jurisdiction: JurisdictionCode?
        /// The alliance charter the host's own state gave it: agreements count only as the signatures
        /// of their parties, under the keys it pins, make them.
        public var charter: AllianceCharter
        /// How often the full inventory is reported, and every blob re-read and checked (at most
        /// `scrubBytesPerSecond`).
        public var inventoryInterval: Duration
        public var scrubInterval: Duration
        public var scrubBytesPerSecond: Int

        public init(
            serverURL: String,
            listenerURL: String,
            joinToken: String?,
            enrolment: EnrolmentTransport = EnrolmentTransport(),
            dataDirectory: URL,
            heartbeatInterval: Duration = .seconds(10),
            objectHost: String = "127.0.0.1",
            objectPort: Int = 0,
            advertisedHost: String? = nil,
            jurisdiction: JurisdictionCode? = nil,
            charter: AllianceCharter,
            inventoryInterval: Duration = .seconds(300),
            scrubInterval: Duration = .seconds(86_400),
            scrubBytesPerSecond: Int = 50_000_000
        ) {
            self.serverURL = serverURL
            self.listenerURL = listenerURL
            self.joinToken = joinToken
            self.enrolment = enrolment
            self.dataDirectory = dataDirectory
            self.heartbeatInterval = heartbeatInterval
            self.objectHost = objectHost
            self.objectPort = objectPort
            self.advertisedHost = advertisedHost ?? objectHost
            self.jurisdiction = jurisdiction
            self.charter = charter
            self.inventoryInterval = inventoryInterval
            self.scrubInterval = scrubInterval
            self.scrubBytesPerSecond = scrubBytesPerSecond
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
            path: "/v1/agents/enrol", daemon: "agent", transport: settings.enrolment, logger: logger)
        let state = AgentState(
            session: try EnrolledSession(
                connection: try AgentConnection(credentials: credentials, listenerURL: settings.listenerURL),
                renewPath: "/agent/v1/renew"),
            declaredJurisdiction: settings.jurisdiction,
            rules: try PinnedPolicy(
                charter: settings.charter, file: settings.dataDirectory.appendingPathComponent("policy.json")))
        try await state.session.serving {
            let blobs = try BlobStore(
                directory: settings.dataDirectory.appendingPathComponent("store", isDirectory: true))
            let advertisedHost = settings.advertisedHost
            let uploads = try SingleUseLedger(
                directory: settings.dataDirectory.appendingPathComponent("uploads", isDirectory: true))
            let objects = try AgentDataServer(blobs: blobs, uploads: uploads, state: state, logger: logger).application(
                host: settings.objectHost, port: settings.objectPort,
                onRunning: { [logger] port in
                    state.session.setURL("https://\(advertisedHost):\(port)")
                    logger.notice("serving objects", metadata: ["daulat.object_port": "\(port)"])
                }
            )
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await objects.run() }
                group.addTask { try await Self.untilShutdown { try await self.report(state) } }
                let follower = AssignmentFollower(state: state, blobs: blobs, logger: logger)
                group.addTask { try await Self.untilShutdown { try await follower.run() } }
                let inventory = InventoryReporter(
                    blobs: blobs, state: state, interval: settings.inventoryInterval, logger: logger)
                group.addTask { try await Self.untilShutdown { try await inventory.run() } }
                let scrubber = BlobScrubber(
                    blobs: blobs, state: state, interval: settings.scrubInterval,
                    bytesPerSecond: settings.scrubBytesPerSecond, logger: logger)
                group.addTask { try await Self.untilShutdown { try await scrubber.run() } }
                // Each part ends by itself on graceful shutdown; a part that fails ends the others.
                try await group.waitForAll()
            }
        }
    }

    /// Runs one part of the agent until graceful shutdown cancels it. An error the part raises
    /// because it was cancelled mid-request (a report cut off) is the shutdown, not a failure: left
    /// to end the group, it would make a clean stop exit with an error.
    private static func untilShutdown(_ body: @escaping @Sendable () async throws -> Void) async throws {
        do {
            try await cancelWhenGracefulShutdown { try await body() }
        } catch  where Task.isShuttingDownGracefully || Task.isCancelled {
            return
        }
    }

    private func report(_ state: AgentState) async throws {
        while !Task.isCancelled {
            await state.session.renewIfDue(savingIn: settings.dataDirectory, logger: logger)
            do {
                var heartbeat = try Self.space(of: settings.dataDirectory)
                // Owners are sent only to a host that says where it serves: it says so once it knows
                // the rules it checks every upload against.
                heartbeat.dataURL = state.knowsRules ? state.dataURL : nil
                _ = try await state.connection.heartbeat(heartbeat)
            } catch  where !Task.isCancelled {
                logger.warning("heartbeat failed; will retry", metadata: ["daulat.error": "\(error)"])
            } catch {
                break
            }
            do {
                try await Task.sleep(for: settings.heartbeatInterval)
            } catch {
                break  // Cancelled: the service group is shutting down.
            }
        }
    }

    /// The size and free space of the file system holding the data directory.
    static func space(of directory: URL) throws -> AgentMessages.Heartbeat {
        let attributes = try FileManager.default.attributesOfFileSystem(forPath: directory.path)
        let capacity = (attributes[.systemSize] as? NSNumber)?.int64Value ?? 0
        let free = (attributes[.systemFreeSize] as? NSNumber)?.int64Value ?? 0
        return AgentMessages.Heartbeat(capacityBytes: capacity, freeBytes: min(free, capacity))
    }
}
