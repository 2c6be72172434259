import DaulatTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// Several `daulat server` processes on one PostgreSQL: all serve the API, one re-plans.
    @Suite("End to end: one reconciler among several control planes", .serialized)
    struct LeadershipTests {
        /// The jurisdictions of a dataset's placed copies, as `daulat dataset show` reports them.
        func jurisdictions(of id: String, environment: [String: String]) async throws -> Set<String> {
            let shown = try await DaulatProcess.run(
                ["dataset", "show", id, "--output", "json"], environment: environment)
            let view = try #require(try JSONSerialization.jsonObject(with: Data(shown.output.utf8)) as? [String: Any])
            let choices = ((view["placement"] as? [String: Any])?["choices"] as? [[String: Any]]) ?? []
            return Set(choices.compactMap { $0["jurisdiction"] as? String })
        }
        @Test(
            "exactly one server leads the reconciler; when it dies another takes over and acts on changes made anywhere"
        )
        func failover() async throws {
            try await ServerSetup.run { setup in
                let arguments = setup.arguments
                let first = try DaulatProcess(arguments)
                defer { first.stop() }
                _ = try await first.waitForOutput(containing: "reconciler leading")
                let firstPort = try EndToEnd.DurabilityTests.port(
                    in: try await first.waitForOutput(containing: "daulat.port="), after: "daulat.port=")
                let second = try DaulatProcess(arguments)
                defer { second.stop() }
                _ = try await second.waitForOutput(containing: "reconciler standing by")
                let secondPort = try EndToEnd.DurabilityTests.port(
                    in: try await second.waitForOutput(containing: "daulat.port="), after: "daulat.port=")
                try await Task.sleep(for: .seconds(2))
                #expect(!second.text.contains("reconciler leading"), "only one leads: \(second.text)")

                let token = try setup.adminToken()
                let viaFirst = [
                    "DAULAT_ADDR": "https://127.0.0.1:\(firstPort)", "DAULAT_TOKEN": token,
                    "DAULAT_CA_CERT": setup.authorityFile,
                ]
                let viaSecond = [
                    "DAULAT_ADDR": "https://127.0.0.1:\(secondPort)", "DAULAT_TOKEN": token,
                    "DAULAT_CA_CERT": setup.authorityFile,
                ]
                let files = try await setup.seed(environment: viaFirst)
                let indonesia = files.authorityKeys["ID"] ?? "-"
                let registered = try await DaulatProcess.run(
                    [
                        "dataset", "register", "--name", "census", "--classification", "restricted", "--home", "ID",
                        "--owner-agency", "bps",
                        "--replicas", "3", "--output", "json",
                    ],
                    environment: viaSecond
                )
                #expect(registered.status == 0, "\(registered.output)")
                #expect(registered.output.contains("\"SG\""), "Singapore holds a copy under the agreement")
                let json = try #require(
                    try JSONSerialization.jsonObject(with: Data(registered.output.utf8)) as? [String: Any])
                let id = try #require((json["dataset"] as? [String: Any])?["id"] as? String)

                // A change made through the standby is acted on by the leader.
                let suspended = try await DaulatProcess.run(
                    ["agreement", "suspend", "id-sg-restricted", "--authority-key", indonesia], environment: viaSecond)
                #expect(suspended.status == 0, "\(suspended.output)")
                #expect(
                    try await EndToEnd.eventually(10) {
                        try await jurisdictions(of: id, environment: viaSecond) == ["ID"]
                    },
                    "the leader moved it out of SG")

                first.crash()
                _ = try await second.waitForOutput(containing: "reconciler leading", timeout: 15)
                let activated = try await DaulatProcess.run(
                    ["agreement", "resume", "id-sg-restricted", "--authority-key", indonesia], environment: viaSecond)
                #expect(activated.status == 0, "\(activated.output)")
                #expect(
                    try await EndToEnd.eventually(10) {
                        try await jurisdictions(of: id, environment: viaSecond).contains("SG")
                    },
                    "the new leader re-plans")
            }
        }
    }
}
