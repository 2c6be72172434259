import DaulatTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// The regulator dashboard in a real browser: headless Chromium opens a login link and shows what a
    /// regulator of Indonesia sees, and a regulator of Singapore sees none of Indonesia's data kept at home.
    @Suite("End to end: the regulator dashboard in Chromium", .serialized)
    struct DashboardTests {
        static let chromium = "/usr/bin/chromium"

        /// The page Chromium shows after following `url`, as its DOM.
        static func show(_ url: String, in directory: URL) async throws -> String {
            try await DaulatProcess.run(
                [
                    "--headless", "--no-sandbox", "--ignore-certificate-errors", "--disable-gpu",
                    "--disable-dev-shm-usage", "--no-first-run",
                    "--user-data-dir=\(directory.appendingPathComponent("chromium-\(UUID().uuidString)").path)",
                    "--window-size=390,844", "--dump-dom", url,
                ], program: chromium, discardingErrors: true
            ).output
        }

        static func link(_ token: String, running: ServerSetup.Running) async throws -> String {
            let made = try await DaulatProcess.run(
                ["dashboard", "link", "--output", "json"],
                environment: running.environment.merging(["DAULAT_TOKEN": token]) { $1 })
            let path = try #require(
                (try JSONSerialization.jsonObject(with: Data(made.output.utf8)) as? [String: String])?["path"],
                "\(made.output)")
            return "https://127.0.0.1:\(running.port)\(path)"
        }

        static func token(role: String, jurisdiction: String, running: ServerSetup.Running) async throws -> String {
            let made = try await DaulatProcess.run(
                [
                    "token", "create", "--name", "\(jurisdiction.lowercased())-regulator", "--role", role,
                    "--jurisdiction", jurisdiction, "--output", "json",
                ], environment: running.environment)
            return try #require(
                (try JSONSerialization.jsonObject(with: Data(made.output.utf8)) as? [String: Any])?["secret"]
                    as? String, "\(made.output)")
        }

        @Test("a regulator's link opens its own jurisdiction's dashboard; another's shows none of it")
        func regulatorsSeeTheirOwn() async throws {
            try #require(
                FileManager.default.isExecutableFile(atPath: Self.chromium),
                "Chromium is needed at \(Self.chromium) (Debian's chromium package; scripts/test installs it)")
            try await ServerSetup.run { setup in
                let running = try await setup.startSeeded()
                defer { running.process.stop() }
                let custodian = try await setup.startCustodian("id-custodian-1", running: running)
                defer { custodian.stop() }
                let (_, host, agent) = try await setup.registerWithAgent(
                    ["--name", "census", "--classification", "restricted", "--home", "ID", "--storage", "ID"],
                    running: running)
                defer { agent.stop() }
                let file = setup.directory.appendingPathComponent("census.csv")
                try Data("nik,name\n1,Siti\n".utf8).write(to: file)
                let put = try await DaulatProcess.run(
                    ["dataset", "put", "census", file.path], environment: running.environment)
                #expect(put.status == 0, "\(put.output)")
                _ = try await EndToEnd.eventually(10) {
                    try await EndToEnd.holders(of: "census", environment: running.environment).contains(host)
                }

                let indonesia = try await Self.token(role: "regulator", jurisdiction: "ID", running: running)
                let page = try await Self.show(try await Self.link(indonesia, running: running), in: setup.directory)
                #expect(page.contains("Residency dashboard: ID"), "\(page.prefix(400))")
                #expect(page.contains("census (bps, home ID)"), "the dataset stored in Indonesia is listed")
                #expect(page.contains("Who holds whose data") && page.contains("Key uses"))
                #expect(page.contains("/dashboard/report?format=json&amp;jurisdiction=ID"))
                #expect(page.contains("width=device-width"), "readable on a phone")

                let singapore = try await Self.token(role: "regulator", jurisdiction: "SG", running: running)
                let other = try await Self.show(try await Self.link(singapore, running: running), in: setup.directory)
                #expect(other.contains("Residency dashboard: SG"), "\(other.prefix(400))")
                #expect(!other.contains("census"), "Indonesia's data kept at home is not Singapore's to see")

                // Without a link, or with a forged one, no page.
                let refused = try await Self.show(
                    "https://127.0.0.1:\(running.port)/dashboard/login?link=forged.link", in: setup.directory)
                #expect(refused.contains("dashboard_pass_invalid") && !refused.contains("Residency dashboard"))
            }
        }
    }
}
