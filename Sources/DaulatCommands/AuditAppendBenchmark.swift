import ArgumentParser
import DaulatControlPlane
import DaulatCore
@_spi(Benchmark) import DaulatStore
import Foundation
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle

/// What the audit log costs a registration: registrations per second through the HTTP API on
/// PostgreSQL with their audit entries appended, as always, against the same server code writing them
/// without, each on a fresh database, in the same run.
struct AuditAppendBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Registrations per second with their audit entries, against the same without them.",
        discussion: """
            Both control planes run in this process on scratch databases made on the server given, one \
            at a time, driven by the same clients. The one without audit entries exists only here, to \
            measure their cost: target, registrations keep at least 0.8 of their rate (audit appends \
            cost at most 20%). Rounds alternate the two, each round starting with the other, and the best of each is kept.
            """
    )

    @Option(help: "PostgreSQL server URL (or DAULAT_TEST_DATABASE_URL); scratch databases are made on it.")
    var databaseURL: String?
    @Option(help: "Concurrent clients.") var clients = 8
    @Option(help: "Seconds each measurement runs.") var seconds = 10
    @Option(help: "Measurements of each kind, alternating.") var rounds = 3
    @Option(help: "Output format: table or json.") var output: OutputFormat = .table

    func run() async throws {
        guard let serverURL = databaseURL ?? ProcessInfo.processInfo.environment["DAULAT_TEST_DATABASE_URL"] else {
            throw ValidationError("pass --database-url or set DAULAT_TEST_DATABASE_URL (scripts/bench does)")
        }
        guard rounds > 0, seconds > 0, clients > 0 else {
            throw ValidationError("--rounds, --seconds and --clients must be positive")
        }
        var logger = Logging.Logger(label: "daulat.bench")
        logger.logLevel = .warning
        var audited: [Double] = []
        var unaudited: [Double] = []
        for round in 1...rounds {
            // Each round starts with the other kind, so that neither always runs on a colder machine.
            for auditing in round % 2 == 1 ? [true, false] : [false, true] {
                let rate = try await RegistrationBenchmark.withScratchDatabase(on: serverURL) { databaseURL in
                    try await measure(databaseURL: databaseURL, auditing: auditing, logger: logger)
                }
                FileHandle.standardError.write(
                    Data(
                        String(
                            format: "round %d/%d: %@ %.0f registrations/s\n", round, rounds,
                            auditing ? "with audit entries" : "without audit entries", rate
                        ).utf8))
                if auditing { audited.append(rate) } else { unaudited.append(rate) }
            }
        }
        try BenchmarkReport(
            benchmark: "audit",
            parameters: ["clients": clients, "seconds": seconds, "rounds": rounds],
            daulatLabel: "registrations with audit entries (HTTP API, PostgreSQL, \(clients) clients)",
            daulatPerSecond: audited.max() ?? 0,
            limitLabel: "the same without audit entries",
            limitPerSecond: unaudited.max() ?? 0,
            target: 0.8
        ).print(output)
    }

    /// Registrations per second from `clients` loops against a control plane in this process.
    private func measure(databaseURL: String, auditing: Bool, logger: Logging.Logger) async throws -> Double {
        let secret = try await RegistrationBenchmark.seed(databaseURL: databaseURL, logger: logger)
        let backend = try PostgresBackend(url: databaseURL, logger: logger)
        let store =
            auditing ? SQLDaulatStore(backend: backend) : SQLDaulatStore.withoutRegistrationAudit(backend: backend)
        let listening = AsyncStream.makeStream(of: Int.self)
        let app = ControlPlaneApplication.build(
            store: store, settings: .init(host: "127.0.0.1", port: 0), registry: PrometheusCollectorRegistry(),
            logger: logger, services: [backend],
            onServerRunning: { port in
                listening.continuation.yield(port)
                listening.continuation.finish()
            })
        let services = ServiceGroup(
            configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        return try await withThrowingTaskGroup(of: Double?.self) { group in
            group.addTask {
                defer { listening.continuation.finish() }
                try await services.run()
                return nil
            }
            var ports = listening.stream.makeAsyncIterator()
            guard let port = await ports.next() else {
                // The server ended before it listened: its error says why.
                _ = try await group.next()
                throw ClientError(message: "the control plane stopped before it listened")
            }
            do {
                let rate = try await RegistrationBenchmark.drive(
                    port: port, token: secret, clients: clients, seconds: seconds)
                await services.triggerGracefulShutdown()
                try await group.waitForAll()
                return rate
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }
}
