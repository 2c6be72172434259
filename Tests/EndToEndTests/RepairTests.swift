import DaulatTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// When an agent falls silent, its host leaves placement and another agent in an allowed place
    /// makes the missing copy, with no operator involved.
    @Suite("End to end: copies re-made when an agent falls silent", .serialized)
    struct RepairTests {
        /// The holders of the dataset's only object, and the hosts it is placed on.
        func state(of dataset: String, environment: [String: String]) async throws -> (
            holders: Set<String>, placed: Set<String>
        ) {
            let shown = try await DaulatProcess.run(
                ["dataset", "show", dataset, "--output", "json"], environment: environment)
            let choices =
                ((try JSONSerialization.jsonObject(with: Data(shown.output.utf8)) as? [String: Any])?["placement"]
                as? [String: Any])?["choices"]
                as? [[String: Any]] ?? []
            return (
                try await EndToEnd.holders(of: dataset, environment: environment),
                Set(choices.compactMap { $0["hostID"] as? String })
            )
        }

        /// Starts an agent on every host where Indonesian restricted data may live, uploads an object
        /// and waits until every placed host holds it.
        func startAgentsAndUpload(setup: ServerSetup, running: ServerSetup.Running, placed: Set<String>) async throws
            -> [String: DaulatProcess]
        {
            let environment = running.environment
            var agents: [String: DaulatProcess] = [:]
            for host in ["id-jkt-1-a", "id-jkt-1-b", "id-btm-1-a", "sg-sin-1-a"] {
                agents[host] = try await setup.startAgent(host, running: running)
            }
            try await Task.sleep(for: .seconds(2))
            let file = setup.directory.appendingPathComponent("census.sealed")
            try Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }).write(to: file)
            let uploaded = try await DaulatProcess.run(
                ["dataset", "put", "census", file.path], environment: environment)
            #expect(uploaded.status == 0, "\(uploaded.output)")
            var current = try await state(of: "census", environment: environment)
            for _ in 0..<40 where current.holders != placed {
                try await Task.sleep(for: .milliseconds(250))
                current = try await state(of: "census", environment: environment)
            }
            #expect(current.holders == placed, "both placed hosts hold the object")
            return agents
        }

        func register(_ environment: [String: String]) async throws {
            let registered = try await DaulatProcess.run(
                [
                    "dataset", "register", "--name", "census", "--classification", "restricted", "--home", "ID",
                    "--owner-agency", "bps",
                    "--replicas", "2", "--output", "json",
                ], environment: environment)
            #expect(registered.status == 0, "\(registered.output)")
        }

        @Test("draining a site moves its copies to allowed places and deletes them there only once replaced")
        func drain() async throws {
            try await ServerSetup.run { setup in
                let running = try await setup.startSeeded()
                defer { running.process.stop() }
                let custodian = try await setup.startCustodian("id-custodian-1", running: running)
                defer { custodian.stop() }
                let environment = running.environment
                try await register(environment)
                let placed = try await state(of: "census", environment: environment).placed
                let agents = try await startAgentsAndUpload(setup: setup, running: running, placed: placed)
                defer { DaulatProcess.stop(Array(agents.values)) }

                // Drain Singapore if a copy is there, else Batam: either way one placed host's site.
                let drained = placed.contains("sg-sin-1-a") ? ("sg-sin-1", "sg-sin-1-a") : ("id-btm-1", "id-btm-1-a")
                // Two distinct sites are required, so Jakarta alone never holds both copies.
                try #require(placed.contains(drained.1), "placed on \(placed)")
                let drain = try await DaulatProcess.run(["site", "drain", drained.0], environment: environment)
                #expect(drain.status == 0 && drain.output.contains("draining"), "\(drain.output)")
                var current = try await state(of: "census", environment: environment)
                var emptied = false
                for _ in 0..<80 where !emptied {
                    try await Task.sleep(for: .milliseconds(250))
                    current = try await state(of: "census", environment: environment)
                    emptied =
                        !current.placed.contains(drained.1) && current.placed.count == 2
                        && current.holders == current.placed
                }
                #expect(emptied, "placed on \(current.placed), held on \(current.holders)")
                #expect(setup.blobs(of: drained.1).isEmpty, "the drained host deleted its copy")
                let resumed = try await DaulatProcess.run(["site", "resume", drained.0], environment: environment)
                #expect(
                    resumed.status == 0 && resumed.output.contains(drained.1) && resumed.output.contains("available"),
                    "\(resumed.output)")
            }
        }

        @Test(
            "a killed agent's host is taken out of placement after the grace period and its copy is made elsewhere; when it returns the stand-in's copy is released"
        )
        func silentAgent() async throws {
            try await ServerSetup.run(extraArguments: ["--agent-grace", "3"]) { setup in
                let running = try await setup.startSeeded()
                defer { running.process.stop() }
                let custodian = try await setup.startCustodian("id-custodian-1", running: running)
                defer { custodian.stop() }
                let environment = running.environment
                try await register(environment)
                let placed = try await state(of: "census", environment: environment).placed
                var agents = try await startAgentsAndUpload(setup: setup, running: running, placed: placed)
                defer { DaulatProcess.stop(Array(agents.values)) }
                var current = try await state(of: "census", environment: environment)

                let victim = try #require(placed.sorted().last)
                agents[victim]?.crash()
                var repaired = false
                for _ in 0..<80 where !repaired {
                    try await Task.sleep(for: .milliseconds(250))
                    current = try await state(of: "census", environment: environment)
                    repaired =
                        !current.placed.contains(victim) && current.placed.count == 2
                        && current.placed.isSubset(of: current.holders)
                }
                #expect(repaired, "placed on \(current.placed) without \(victim), held on \(current.holders)")
                let standIn = try #require(current.placed.subtracting(placed).first)

                // The agent comes back: its host returns to placement, and the stand-in's copy, no longer
                // wanted now that every placed host holds one, is released and deleted.
                agents[victim] = try await setup.startAgent(victim, running: running, enrol: false)
                var settled = false
                for _ in 0..<80 where !settled {
                    try await Task.sleep(for: .milliseconds(250))
                    current = try await state(of: "census", environment: environment)
                    settled = current.placed == placed && current.holders == placed
                }
                #expect(settled, "placed on \(current.placed), held on \(current.holders)")
                _ = try await agents[standIn]!.waitForOutput(containing: "copy released", timeout: 10)
                #expect(setup.blobs(of: standIn).isEmpty, "the stand-in deleted its copy")
            }
        }
    }
}
