import ArgumentParser
import AsyncHTTPClient
import DaulatControlPlane
import DaulatCore
import DaulatExampleConfig
import DaulatPKI
import DaulatStore
import Foundation
import Logging
import NIOCore

/// Datasets registered per second through the HTTP API on PostgreSQL, against `pgbench` inserting
/// single rows with the same number of clients into the same server in the same run.
struct RegistrationBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registration",
        abstract: "Registrations per second through the API on PostgreSQL, against pgbench single-row inserts.",
        discussion: "Creates a fresh database on the server given, and drops it afterwards."
    )

    @Option(help: "PostgreSQL server URL (or DAULAT_TEST_DATABASE_URL); a scratch database is made on it.")
    var databaseURL: String?
    @Option(help: "Concurrent clients, for both Daulat and pgbench.") var clients = 8
    @Option(help: "Seconds each side runs.") var seconds = 10
    @Option(help: "Output format: table or json.") var output: OutputFormat = .table

    func run() async throws {
        guard let serverURL = databaseURL ?? ProcessInfo.processInfo.environment["DAULAT_TEST_DATABASE_URL"] else {
            throw ValidationError("pass --database-url or set DAULAT_TEST_DATABASE_URL (scripts/bench does)")
        }
        var logger = Logging.Logger(label: "daulat.bench")
        logger.logLevel = .warning
        let (daulat, pgbench) = try await Self.withScratchDatabase(on: serverURL) { databaseURL in
            (
                try await measureDaulat(databaseURL: databaseURL, logger: logger),
                try measurePgbench(databaseURL: databaseURL)
            )
        }
        try BenchmarkReport(
            benchmark: "registration",
            parameters: ["clients": clients, "seconds": seconds],
            daulatLabel: "daulat registrations (HTTP API, PostgreSQL, \(clients) clients)",
            daulatPerSecond: daulat.registrations,
            limitLabel: "pgbench single-row INSERT (\(clients) clients)",
            limitPerSecond: pgbench,
            target: 0.5,
            references: [("daulat GET /healthz, same server and clients (HTTP alone)", daulat.liveness)]
        ).print(output)
    }

    /// Seeds the database in-process, then runs `daulat server` as its own process (as in production)
    /// and drives it over HTTP: registrations per second, and `GET /healthz` per second from the same clients.
    private func measureDaulat(databaseURL: String, logger: Logging.Logger) async throws -> (
        registrations: Double, liveness: Double
    ) {
        let secret = try await Self.seed(databaseURL: databaseURL, logger: logger)
        let server = try await BenchmarkServer.start(databaseURL: databaseURL)
        defer { server.stop() }
        let port = server.port
        let registrations = try await Self.drive(port: port, token: secret, clients: clients, seconds: seconds)
        // The same clients asking the same server for its liveness, which reads nothing and writes
        // nothing: the most requests a second this machine carries through Daulat's HTTP stack.
        let liveness = try await Self.drive(clients: clients, seconds: seconds, expecting: 200) { _, _ in
            HTTPClientRequest(url: "http://127.0.0.1:\(port)/healthz")
        }
        return (registrations, liveness)
    }

    /// Migrates the scratch database and seeds it with the example alliance and an admin; returns the
    /// secret of an owner token to register datasets with.
    static func seed(databaseURL: String, logger: Logging.Logger) async throws -> String {
        try await withSeededStore(databaseURL: databaseURL, logger: logger) { store in
            try await TokenIssuer.issue(
                name: "bench", role: .owner, agency: "bench", jurisdiction: nil, store: store, actor: "bench",
                at: Date()
            ).secret
        }
    }

    /// Migrates the scratch database, seeds it with the example alliance and an admin, and runs `body`
    /// on its store in this process.
    static func withSeededStore<Result: Sendable>(
        databaseURL: String, logger: Logging.Logger,
        _ body: @Sendable (SQLDaulatStore<PostgresBackend>) async throws -> Result
    ) async throws -> Result {
        let backend = try PostgresBackend(url: databaseURL, logger: logger)
        return try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask {
                await backend.client.run()
                return nil
            }
            defer { group.cancelAll() }
            try await MigrationRunner(backend: backend).apply()
            let store = SQLDaulatStore(backend: backend)
            let definition = try AllianceDefinitionFile.load(ExampleConfig.allianceFile)
            try await AllianceSeeder.addMissing(to: store, from: definition, actor: "bench")
            // The example's states, played with keys made for this run, sign its agreements, so that
            // placements cross borders as they do under `daulat dev`.
            var keys: [JurisdictionCode: StateSigningKey] = [:]
            for jurisdiction in definition.jurisdictions { keys[jurisdiction.code] = .generate() }
            let charter = try SignedCharter(
                instance: DevStateKeys.instance, authorities: keys, witnesses: [:],
                issuedAt: CanonicalJSON.rounded(Date()))
            _ = try await store.establishAllianceCharter(try charter.text, at: Date(), actor: "bench")
            try await store.signDraftAgreements(
                Set(definition.agreements.filter { $0.status == .inForce }.map(\.id)), by: keys,
                under: try charter.verified(), actor: "bench")
            try await store.signJurisdictionRecords(by: keys, at: Date(), actor: "bench")
            try await store.signAllianceRules(by: keys, under: try charter.verified(), at: Date(), actor: "bench")
            _ = try await TokenIssuer.bootstrapAdmin(store: store)
            return try await body(store)
        }
    }

    /// `clients` loops registering distinct datasets for `seconds`; returns acknowledged registrations per second.
    static func drive(port: Int, token: String, clients: Int, seconds: Int) async throws -> Double {
        try await drive(clients: clients, seconds: seconds, expecting: 201) { client, done in
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/datasets")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(
                ByteBuffer(
                    string:
                        #"{"name":"bench-\#(client)-\#(done)","classification":"restricted","home":"ID","policy":{"replicas":3}}"#
                ))
            return request
        }
    }

    /// `clients` loops sending the request `make` gives for each (client, requests done so far) for
    /// `seconds`; returns answers with HTTP status `expected` per second.
    static func drive(
        clients: Int, seconds: Int, expecting expected: UInt,
        _ make: @escaping @Sendable (Int, Int) -> HTTPClientRequest
    ) async throws -> Double {
        let deadline = ContinuousClock.now + .seconds(seconds)
        let start = ContinuousClock.now
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            for client in 0..<clients {
                group.addTask {
                    var done = 0
                    while ContinuousClock.now < deadline {
                        let response = try await HTTPClient.shared.execute(make(client, done), timeout: .seconds(30))
                        _ = try await response.body.collect(upTo: 1 << 20)
                        guard response.status.code == expected else {
                            throw ClientError(
                                message: "the benchmark's request was answered HTTP \(response.status.code)")
                        }
                        done += 1
                    }
                    return done
                }
            }
            return try await group.reduce(0, +)
        }
        return Double(total) / (ContinuousClock.now - start).inSeconds
    }

    private func measurePgbench(databaseURL: String) throws -> Double {
        try Self.psql(
            databaseURL,
            "CREATE TABLE bench_rows (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name TEXT NOT NULL, document TEXT NOT NULL)"
        )
        let script = FileManager.default.temporaryDirectory.appendingPathComponent(
            "daulat-pgbench-\(UUID().uuidString).sql")
        defer { try? FileManager.default.removeItem(at: script) }
        // One row the size of a registered dataset's document.
        let document = String(repeating: "x", count: 400)
        try Data("INSERT INTO bench_rows (name, document) VALUES ('bench', '\(document)');\n".utf8).write(to: script)
        // pgbench's -T relies on SIGALRM, which a child of this process may inherit blocked; so it runs
        // a fixed number of transactions per client instead, sized from a short calibration run.
        func pgbench(transactionsPerClient: Int) throws -> Double {
            let output = try ExternalTool.run(
                "pgbench",
                [
                    "-n", "-c", "\(clients)", "-j", "\(clients)", "-t", "\(transactionsPerClient)", "-f", script.path,
                    databaseURL,
                ]
            )
            guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("tps = ") }),
                let tps = Double(line.dropFirst("tps = ".count).prefix { $0 != " " })
            else {
                throw ClientError(message: "could not read pgbench's tps from:\n\(output)")
            }
            return tps
        }
        let calibration = try pgbench(transactionsPerClient: 200)
        let tps = try pgbench(transactionsPerClient: max(200, Int(calibration * Double(seconds)) / clients))
        return tps
    }

    @discardableResult
    static func psql(_ url: String, _ sql: String, tuplesOnly: Bool = false) throws -> String {
        try ExternalTool.run(
            "psql", ["-v", "ON_ERROR_STOP=1", "-q"] + (tuplesOnly ? ["-t", "-A"] : []) + ["-c", sql, url])
    }

    /// Runs `body` with the URL of a fresh database made on the server at `serverURL`, dropped afterwards.
    static func withScratchDatabase<Result>(on serverURL: String, _ body: (String) async throws -> Result) async throws
        -> Result
    {
        let scratch = "daulat_bench_\(UInt32.random(in: 0...UInt32.max))"
        try psql(serverURL, "CREATE DATABASE \(scratch)")
        defer { _ = try? psql(serverURL, "DROP DATABASE IF EXISTS \(scratch) WITH (FORCE)") }
        return try await body(url(serverURL, database: scratch))
    }

    static func url(_ serverURL: String, database: String) -> String {
        var components = URLComponents(string: serverURL)!
        components.path = "/" + database
        return components.string!
    }

}
