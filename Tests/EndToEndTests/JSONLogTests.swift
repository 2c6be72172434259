import AsyncHTTPClient
import DaulatTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// What a cluster's monitoring reads. With `DAULAT_LOG_FORMAT=json` every line a process writes is
    /// one JSON object, its metadata as fields of their own, and a format that is neither is refused;
    /// `/metrics` carries every metric the Grafana dashboard and the README name.
    @Suite("Operations: JSON logs and metrics")
    struct JSONLogTests {
        @Test(
            "with DAULAT_LOG_FORMAT=json every line the server writes is one object with its metadata as fields; /metrics has every metric"
        )
        func jsonLines() async throws {
            // Scraped as Prometheus would, with the metrics token the server was given.
            let metricsToken = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
            try await ServerSetup.run(environment: ["DAULAT_LOG_FORMAT": "json", "DAULAT_METRICS_TOKEN": metricsToken])
            {
                setup in
                let server = try DaulatProcess(setup.arguments, environment: setup.processEnvironment)
                defer { server.stop() }
                // Both listeners report, in either order.
                _ = try await server.waitForOutput(containing: "\"daulat.agent_port\":")
                let output = try await server.waitForOutput(containing: "\"daulat.port\":")
                // Whole lines only: the last may still be on its way.
                let lines = output.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
                    .filter { !$0.isEmpty }
                #expect(lines.count >= 2)
                var fields: [[String: Any]] = []
                for line in lines {
                    let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                    #expect(object != nil, "not a JSON object: \(line)")
                    fields.append(object ?? [:])
                }
                for object in fields {
                    #expect(["time", "level", "logger", "message"].allSatisfy { object[$0] is String }, "\(object)")
                }
                let listening = try #require(fields.first { $0["message"] as? String == "daulat server listening" })
                #expect(Int(listening["daulat.port"] as? String ?? "") != nil, "\(listening)")
                #expect(listening["level"] as? String == "info" && listening["logger"] as? String == "daulat.server")

                // The reconciler's first pass and review, and the first tree head, fill in the gauges.
                let port = try #require(Int(listening["daulat.port"] as? String ?? ""))
                let wanted = [
                    "daulat_placement_passes_total", "daulat_datasets_placed", "daulat_placement_violations",
                    "daulat_datasets_with_placement_violations", "daulat_evacuations_open",
                    "daulat_copies_quarantined", "daulat_copies_missing", "daulat_replication_lag_seconds",
                    "daulat_audit_log_entries", "daulat_reconciler_leader", "hb_requests",
                    "http_server_request_duration_bucket",
                ]
                var missing = wanted
                for _ in 0..<100 where !missing.isEmpty {
                    var scrape = HTTPClientRequest(url: "https://127.0.0.1:\(port)/metrics")
                    scrape.headers.add(name: "Authorization", value: "Bearer \(metricsToken)")
                    let response = try await setup.httpsClient().execute(scrape, timeout: .seconds(10))
                    let text = String(buffer: try await response.body.collect(upTo: 1 << 22))
                    let names = Set(
                        text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map {
                            String($0.prefix { $0 != "{" && $0 != " " })
                        })
                    missing = wanted.filter { !names.contains($0) }
                    if !missing.isEmpty { try await Task.sleep(for: .milliseconds(200)) }
                }
                #expect(missing.isEmpty, "not in /metrics: \(missing)")
            }
        }

        @Test("a log format that is neither text nor json is refused, naming the variable")
        func refused() async throws {
            let refused = try await DaulatProcess.run(["--help"], environment: ["DAULAT_LOG_FORMAT": "yaml"])
            #expect(refused.status != 0 && refused.output.contains("DAULAT_LOG_FORMAT must be text or json"))
        }
    }
}
