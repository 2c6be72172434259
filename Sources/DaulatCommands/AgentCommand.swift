import ArgumentParser
import DaulatAgent
import DaulatCore
import Foundation
import Logging
import ServiceLifecycle

/// `daulat agent`: the daemon on a storage host.
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run the agent of a storage host.",
        discussion: """
            On first start the agent makes its own key, enrols with the one-time join token an operator \
            issued for this host (`daulat host join-token HOST`) and keeps its certificate in --data-dir; \
            later starts reuse it. It reports to the control plane's agent listener over mutual TLS and \
            renews its certificate before it expires. It follows its signed assignments, reports its \
            full inventory every --inventory-interval and re-reads every blob every --scrub-interval, \
            deleting (and reporting) any whose bytes no longer match their hash so a good copy is made.

            It checks every copy and upload against the rules itself too: an agreement counts only as \
            far as its parties' signatures, under --charter (the alliance charter your own state's \
            authority gave you), go, so an agreement the control plane merely marks in force moves \
            nothing onto this host.

            Settings come from, in order: options, environment (DAULAT_SERVER_URL, DAULAT_AGENTS_URL, \
            DAULAT_JOIN_TOKEN, DAULAT_DATA_DIR, DAULAT_CA_CERT, DAULAT_CHARTER), the --config YAML file \
            (server.url, agents.url, join.token, data.dir, ca.cert, charter).

            The join token ends with the fingerprint of the alliance's certificate authority: the \
            token's secret is sent only to a server that authority (or, with --ca-cert, the operator's \
            own CA) vouches for, and an enrolment reply naming another authority is refused.

            Example (against `daulat dev`):
              daulat agent --server https://127.0.0.1:8080 --agent-server https://127.0.0.1:8443 \\
                --join-token djt_….3e7b… --data-dir /var/lib/daulat-agent --charter charter.json
            """
    )

    @OptionGroup var daemon: DaemonOptions
    @Option(help: "Address the object server listens on.") var objectHost = "127.0.0.1"
    @Option(help: "Port of the object server (0 picks a free one; the agent reports it).") var objectPort = 0
    @Option(help: "The host name or address clients reach the object server by (default: --object-host).")
    var advertiseHost: String?
    @Option(
        help:
            "The jurisdiction this host stands in (ISO 3166-1 alpha-2), checked against the records the states signed: the agent holds nothing unless that state's record places it there."
    )
    var jurisdiction: String?
    @Option(help: "Seconds between full inventories (every blob held, so lost copies are made again).")
    var inventoryInterval = 300
    @Option(help: "Seconds between scrubs: every blob re-read and checked against its hash.")
    var scrubInterval = 86_400
    @Option(help: "The most megabytes a second a scrub reads.") var scrubRate = 50

    func run() async throws {
        MemoryTuning.apply()
        let resolved = try await daemon.resolve()
        guard inventoryInterval >= 1, scrubInterval >= 1, scrubRate >= 1 else {
            throw ValidationError("--inventory-interval, --scrub-interval and --scrub-rate must be at least 1")
        }
        let logger = Logging.Logger(label: "daulat.agent")
        let agent = AgentService(
            settings: .init(
                serverURL: resolved.serverURL, listenerURL: resolved.listenerURL, joinToken: resolved.joinToken,
                enrolment: resolved.enrolment,
                dataDirectory: resolved.directory, heartbeatInterval: resolved.heartbeat,
                objectHost: objectHost,
                objectPort: objectPort,
                advertisedHost: advertiseHost,
                jurisdiction: try jurisdiction.map { code in
                    do {
                        return try JurisdictionCode(code.uppercased())
                    } catch {
                        throw ValidationError("--jurisdiction: \(error)")
                    }
                },
                charter: try resolved.charter(),
                inventoryInterval: .seconds(inventoryInterval),
                scrubInterval: .seconds(scrubInterval),
                scrubBytesPerSecond: scrubRate * 1_000_000
            ),
            logger: logger
        )
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: agent)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        )
        try await group.run()
    }
}
