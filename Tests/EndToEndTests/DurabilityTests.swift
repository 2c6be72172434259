import AsyncHTTPClient
import DaulatAgent
import DaulatCore
import DaulatTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// The real binary, as users run it: acknowledged changes survive `kill -9`.
    @Suite("End to end: durability of daulat dev and daulat server", .serialized)
    struct DurabilityTests {
        struct Listed: Decodable {
            struct Item: Decodable {
                let id: String
                let name: String
            }
            let datasets: [Item]
        }

        /// Registers `count` datasets with the CLI and returns their ids (each acknowledged by a 201).
        func registerDatasets(_ count: Int, prefix: String, environment: [String: String]) async throws -> [String] {
            var ids: [String] = []
            for index in 0..<count {
                let (status, output) = try await DaulatProcess.run(
                    [
                        "dataset", "register", "--name", "\(prefix)-\(index)", "--classification", "restricted",
                        "--home",
                        "ID",
                        "--owner-agency", "bps", "--replicas", "3", "--output", "json",
                    ],
                    environment: environment
                )
                #expect(status == 0, "\(output)")
                let json = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
                ids.append(try #require((json["dataset"] as? [String: Any])?["id"] as? String))
            }
            return ids
        }

        func listedIDs(environment: [String: String]) async throws -> Set<String> {
            let (status, output) = try await DaulatProcess.run(
                ["dataset", "list", "--limit", "1000", "--output", "json"], environment: environment)
            #expect(status == 0, "\(output)")
            return Set(try JSONDecoder().decode(Listed.self, from: Data(output.utf8)).datasets.map(\.id))
        }

        @Test("daulat dev keeps every acknowledged change across kill -9")
        func devSurvivesKill() async throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "daulat-e2e-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            let arguments = ["dev", "--data-dir", directory.path, "--port", "0", "--agent-port", "0"]

            let first = try DaulatProcess(arguments)
            let banner = try await first.waitForOutput(containing: "Admin token:")
            let port = try Self.port(in: banner, after: "https://127.0.0.1:")
            let token = try String(contentsOf: directory.appendingPathComponent("admin.token"), encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(banner.contains(token))
            let authorityFile = directory.appendingPathComponent("ca.pem").path
            #expect(banner.contains("DAULAT_CA_CERT=\(authorityFile)"), "the banner says what to pin")
            var environment = [
                "DAULAT_ADDR": "https://127.0.0.1:\(port)", "DAULAT_TOKEN": token, "DAULAT_CA_CERT": authorityFile,
            ]
            // daulat dev runs an agent on every storage host; each enrols and reports.
            var reporting = 0
            for _ in 0..<60 where reporting < 11 {
                reporting = try await AgentListing.entries(environment: environment).filter { $0.lastHeartbeat != nil }
                    .count
                if reporting < 11 { try await Task.sleep(for: .milliseconds(250)) }
            }
            #expect(reporting == 11, "every host of the example alliance has a reporting agent")
            let ids = try await registerDatasets(5, prefix: "census", environment: environment)
            // The process's metrics reach /metrics: requests, and the reconciler's passes.
            var scrape = HTTPClientRequest(url: "https://127.0.0.1:\(port)/metrics")
            scrape.headers.add(
                name: "Authorization", value: "Bearer \(token.trimmingCharacters(in: .whitespacesAndNewlines))")
            let metrics = try await TrustedRoots.load(URL(fileURLWithPath: authorityFile)).client().execute(
                scrape, timeout: .seconds(10))
            let exposition = String(buffer: try await metrics.body.collect(upTo: 1 << 20))
            #expect(exposition.contains("daulat_placement_passes_total"), "\(exposition.prefix(500))")
            #expect(exposition.contains("hb_requests"), "\(exposition.prefix(500))")
            let (suspended, suspendOutput) = try await DaulatProcess.run(
                [
                    "agreement", "suspend", "id-sg-restricted", "--authority-key",
                    directory.appendingPathComponent("authorities/ID.pem").path,
                ], environment: environment)
            #expect(suspended == 0, "\(suspendOutput)")
            first.crash()

            let second = try DaulatProcess(arguments)
            let restarted = try await second.waitForOutput(containing: "Admin token:")
            environment["DAULAT_ADDR"] =
                "https://127.0.0.1:\(try Self.port(in: restarted, after: "https://127.0.0.1:"))"
            #expect(restarted.contains(token), "the admin token is kept across restarts")
            #expect(!restarted.contains("Loaded the alliance"), "a restart adds nothing that is already there")
            #expect(try await listedIDs(environment: environment) == Set(ids))
            let (status, agreement) = try await DaulatProcess.run(
                ["agreement", "show", "id-sg-restricted", "--output", "json"], environment: environment)
            #expect(status == 0)
            #expect(agreement.contains("\"status\" : \"suspended\""))
            second.stop()
            #expect(second.process.terminationStatus == 0, "SIGTERM shuts down cleanly: \(second.text)")
        }

        @Test("daulat server on PostgreSQL: migrate twice at once, refuse an unmigrated database, survive kill -9")
        func serverSurvivesKill() async throws {
            try await ServerSetup.run(migrate: false) { setup in
                let url = setup.databaseURL
                let tokenFile = setup.tokenFile
                let serverArguments = setup.arguments

                let unmigrated = try await DaulatProcess.run(serverArguments)
                #expect(unmigrated.status != 0)
                #expect(unmigrated.output.contains("daulat migrate"), "\(unmigrated.output)")

                async let first = DaulatProcess.run(["migrate", "--database-url", url])
                async let second = DaulatProcess.run(["migrate", "--database-url", url])
                let results = try await [first, second]
                #expect(results.allSatisfy { $0.status == 0 }, "\(results.map(\.output))")
                #expect(
                    results.filter { $0.output.contains("applied 0001_initial") }.count == 1, "\(results.map(\.output))"
                )

                let server = try DaulatProcess(serverArguments)
                let port = try Self.port(
                    in: try await server.waitForOutput(containing: "daulat.port="), after: "daulat.port=")
                let token = try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(
                    in: .whitespacesAndNewlines)
                var environment = [
                    "DAULAT_ADDR": "https://127.0.0.1:\(port)", "DAULAT_TOKEN": token,
                    "DAULAT_CA_CERT": setup.authorityFile,
                ]
                // An empty PostgreSQL control plane: the operator loads the alliance through the API.
                let seeded = try await DaulatProcess.run(
                    ["alliance", "apply", "--file", Self.exampleAlliancePath], environment: environment)
                #expect(seeded.status == 0, "\(seeded.output)")
                let ids = try await registerDatasets(3, prefix: "registry", environment: environment)
                server.crash()

                let restarted = try DaulatProcess(serverArguments)
                let newPort = try Self.port(
                    in: try await restarted.waitForOutput(containing: "daulat.port="), after: "daulat.port=")
                environment["DAULAT_ADDR"] = "https://127.0.0.1:\(newPort)"
                #expect(try await listedIDs(environment: environment) == Set(ids))
                restarted.stop()
            }
        }

        /// The port a process printed after `marker` (it was started with port 0 and the system chose).
        static func port(in output: String, after marker: String) throws -> Int {
            guard let range = output.range(of: marker),
                let port = Int(output[range.upperBound...].prefix { $0.isNumber })
            else {
                throw DaulatProcessError(message: "no port after '\(marker)' in:\n\(output)")
            }
            return port
        }

        /// A fresh CA key in `directory`, owner-only, as an operator makes one with
        /// `(umask 077; openssl rand -base64 32 > ca.key)`.
        static func caKeyFile(in directory: URL) throws -> String {
            let file = directory.appendingPathComponent("ca.key")
            var generator = SystemRandomNumberGenerator()
            let key = Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }).base64EncodedString()
            guard
                FileManager.default.createFile(
                    atPath: file.path, contents: Data((key + "\n").utf8), attributes: [.posixPermissions: 0o600])
            else { throw DaulatProcessError(message: "cannot write \(file.path)") }
            return file.path
        }

        static var exampleAlliancePath: String {
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent()
                .appendingPathComponent("Config/example/alliance.yaml").path
        }
    }
}
