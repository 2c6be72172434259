import ArgumentParser
import AsyncHTTPClient
import DaulatControlPlane
import DaulatCore
import DaulatStore
import Foundation
import Logging

/// A residency report as open data (CSV) over a million copies: rows per second streamed by a
/// `daulat server` process, and its memory while it does, against `psql` copying the same rows out of
/// the same PostgreSQL server with `COPY … TO STDOUT` in the same run.
struct ReportBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "A CSV residency report over a million copies against psql COPY of the same rows.",
        discussion: """
            Makes a scratch database on the server given with the example alliance, --datasets datasets at \
            home in Indonesia and --copies copies: each object has one copy in Jakarta and one in Singapore, \
            so Indonesia's report lists half as stored there and half as held abroad. Prints rows per \
            second for each and their ratio (target >= 0.5), and the server's peak memory before and during \
            the report: flat when the report is streamed.
            """
    )

    @Option(help: "PostgreSQL server URL (or DAULAT_TEST_DATABASE_URL); a scratch database is made on it.")
    var databaseURL: String?
    @Option(help: "Copies in the report (two per object).") var copies = 1_000_000
    @Option(help: "Datasets the objects are spread over.") var datasets = 1_000
    @Option(help: "Output format: table or json.") var output: OutputFormat = .table

    func run() async throws {
        guard let serverURL = databaseURL ?? ProcessInfo.processInfo.environment["DAULAT_TEST_DATABASE_URL"] else {
            throw ValidationError("pass --database-url or set DAULAT_TEST_DATABASE_URL (scripts/bench does)")
        }
        guard datasets > 0, copies >= 2 * datasets else {
            throw ValidationError("--datasets must be positive and --copies at least twice --datasets")
        }
        var logger = Logging.Logger(label: "daulat.bench")
        logger.logLevel = .warning
        let objectsPerDataset = copies / 2 / datasets
        let rows = 2 * objectsPerDataset * datasets
        let result = try await RegistrationBenchmark.withScratchDatabase(on: serverURL) { databaseURL in
            let token = try await seed(databaseURL: databaseURL, objectsPerDataset: objectsPerDataset, logger: logger)
            let copy = try measureCopy(databaseURL: databaseURL, expectedRows: rows)
            let server = try await BenchmarkServer.start(databaseURL: databaseURL)
            defer { server.stop() }
            try await waitForFirstReview(server)
            let report = try await measureReport(server: server, token: token, expectedRows: rows)
            return (copy: copy, report: report)
        }
        try BenchmarkReport(
            benchmark: "report",
            parameters: [
                "copies": rows, "datasets": datasets, "server_peak_before_mib": Int(result.report.peakBefore.rounded()),
                "server_peak_during_mib": Int(result.report.peakDuring.rounded()),
            ],
            daulatLabel: "daulat CSV residency report, rows (HTTP, streamed)",
            daulatPerSecond: result.report.rowsPerSecond,
            limitLabel: "psql COPY (SELECT … the same rows) TO STDOUT",
            limitPerSecond: result.copy,
            target: 0.5
        ).print(output)
        if output == .table {
            print(
                String(
                    format: "server peak memory: %.0f MiB before the report, %.0f MiB during it (%d copies)",
                    result.report.peakBefore, result.report.peakDuring, rows))
        }
    }

    /// Seeds the alliance, the datasets and a regulator token for Indonesia through the store, then the
    /// objects and their copies in bulk with SQL (a million copies through agents would take hours and
    /// measure the agents). Returns the regulator's token.
    private func seed(databaseURL: String, objectsPerDataset: Int, logger: Logging.Logger) async throws -> String {
        let count = datasets
        let token = try await RegistrationBenchmark.withSeededStore(databaseURL: databaseURL, logger: logger) {
            store in
            let now = CanonicalJSON.rounded(Date())
            for number in 0..<count {
                let dataset = Dataset(
                    id: "ds-bench-\(number)", name: "bench-\(number)", ownerAgency: "bench",
                    home: try JurisdictionCode("ID"), classification: "restricted",
                    policy: ResidencyPolicy(replicas: 2), createdAt: now, updatedAt: now)
                try await store.createDataset(
                    dataset,
                    placement: Placement(
                        datasetID: dataset.id, computedAt: now, choices: [], excludedSites: [], violations: []),
                    plannedAtCatalogVersion: try await store.catalogVersion(), idempotency: nil, actor: "bench")
            }
            return try await TokenIssuer.issue(
                name: "bench-regulator", role: .regulator, agency: nil, jurisdiction: try JurisdictionCode("ID"),
                store: store, actor: "bench", at: now
            ).secret
        }
        try RegistrationBenchmark.psql(
            databaseURL,
            """
            INSERT INTO objects (id, dataset_id, sha256, size_bytes, created_at_ms) \
            SELECT 'obj-' || md5(d.id || '/' || n), d.id, md5(d.id || '/' || n) || md5(n || '/' || d.id), 1048576, 0 \
            FROM datasets d CROSS JOIN generate_series(1, \(objectsPerDataset)) AS n;
            INSERT INTO object_copies (object_id, host_id, stored_at_ms) \
            SELECT o.id, h.id, 0 FROM objects o CROSS JOIN (VALUES ('id-jkt-1-a'), ('sg-sin-1-a')) AS h (id);
            ANALYZE
            """)
        return token
    }

    /// The report's rows copied out by PostgreSQL itself: psql writing CSV to /dev/null. Rows per second.
    private func measureCopy(databaseURL: String, expectedRows: Int) throws -> Double {
        let query = """
            SELECT CASE WHEN s.jurisdiction = 'ID' THEN 'stored-here' ELSE 'held-abroad' END, d.id, d.name, \
            d.owner_agency, d.home, d.classification, c.object_id, o.size_bytes, c.host_id, h.site_id, s.jurisdiction \
            FROM object_copies c JOIN objects o ON o.id = c.object_id JOIN datasets d ON d.id = o.dataset_id \
            JOIN hosts h ON h.id = c.host_id JOIN sites s ON s.id = h.site_id \
            WHERE s.jurisdiction = 'ID' OR d.home = 'ID'
            """
        let counted = try RegistrationBenchmark.psql(
            databaseURL, "SELECT count(*) FROM (\(query)) AS rows", tuplesOnly: true)
        guard Int(counted.trimmingCharacters(in: .whitespacesAndNewlines)) == expectedRows else {
            throw ClientError(message: "the COPY query selects \(counted) rows, not \(expectedRows)")
        }
        let start = ContinuousClock.now
        _ = try ExternalTool.run(
            "psql",
            [
                "-v", "ON_ERROR_STOP=1", "-q", "-o", "/dev/null", "-c", "COPY (\(query)) TO STDOUT WITH (FORMAT csv)",
                databaseURL,
            ])
        return Double(expectedRows) / (ContinuousClock.now - start).inSeconds
    }

    /// Waits until the server's reconciler has reviewed every copy once (it does at start, and then
    /// every 30 seconds), so that the report is measured alone: the evacuation gauge appears when the
    /// first review ends.
    private func waitForFirstReview(_ server: BenchmarkServer) async throws {
        for _ in 0..<600 {
            let response = try await HTTPClient.shared.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/metrics"), timeout: .seconds(10))
            let text = String(buffer: try await response.body.collect(upTo: 16 << 20))
            if text.split(separator: "\n").contains(where: { $0.hasPrefix("daulat_evacuations_open ") }) { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw ClientError(message: "the server's first review of the copies did not end within two minutes")
    }

    /// Streams Indonesia's CSV report from the server and counts its rows; rows per second, and the
    /// server's peak resident memory before and during the report.
    private func measureReport(server: BenchmarkServer, token: String, expectedRows: Int) async throws -> (
        rowsPerSecond: Double, peakBefore: Double, peakDuring: Double
    ) {
        let pid = "\(server.process.processIdentifier)"
        let peakBefore = try PeakMemory.mebibytes(of: pid)
        PeakMemory.reset(pid)
        var request = HTTPClientRequest(
            url: "http://127.0.0.1:\(server.port)/v1/reports/residency?jurisdiction=ID&format=csv")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        let start = ContinuousClock.now
        let response = try await HTTPClient.shared.execute(request, timeout: .hours(1))
        guard response.status.code == 200 else {
            throw ClientError(message: "the report was answered HTTP \(response.status.code)")
        }
        var lines = 0
        for try await chunk in response.body {
            chunk.withUnsafeReadableBytes { bytes in
                for byte in bytes where byte == UInt8(ascii: "\n") { lines += 1 }
            }
        }
        let elapsed = ContinuousClock.now - start
        // The header, then one line per copy.
        guard lines - 1 == expectedRows else {
            throw ClientError(message: "the report listed \(lines - 1) copies, not \(expectedRows)")
        }
        return (Double(expectedRows) / elapsed.inSeconds, peakBefore, try PeakMemory.mebibytes(of: pid))
    }
}
