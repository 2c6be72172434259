import DaulatCore
import DaulatTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// `daulat agent` processes against a `daulat server` process on PostgreSQL, as an operator runs them.
    @Suite("End to end: agents enrol, report, renew and are revoked", .serialized)
    struct AgentProcessTests {
        func lastHeartbeat(of host: String, environment: [String: String]) async throws -> Date? {
            try await AgentListing.entries(environment: environment).first { $0.host == host }?.lastHeartbeat
        }
        @Test(
            "an agent process enrols once, renews its certificate while running, restarts without a token, and stops being heard when revoked"
        )
        func agentLifecycle() async throws {
            // Eight-second certificates: the agent must renew within the test, without a restart.
            try await ServerSetup.run(extraArguments: ["--agent-certificate-lifetime", "8"]) { setup in
                let directory = setup.directory
                let running = try await setup.startSeeded()
                let server = running.process
                defer { server.stop() }
                let (port, agentPort, environment) = (running.port, running.agentPort, running.environment)

                let host = "id-jkt-1-a"
                let joinToken = try await AgentListing.joinToken(for: host, environment: environment)
                let dataDirectory = directory.appendingPathComponent("agent").path
                let agentArguments = [
                    "agent", "--server", "https://127.0.0.1:\(port)", "--agent-server",
                    "https://127.0.0.1:\(agentPort)",
                    "--data-dir", dataDirectory, "--heartbeat-interval", "1", "--charter", setup.charterFile,
                ]
                let agent = try DaulatProcess(agentArguments + ["--join-token", joinToken])
                _ = try await agent.waitForOutput(containing: "enrolled")
                #expect(agent.text.contains("spiffe://daulat.local/site/id-jkt-1/host/id-jkt-1-a"))
                let keyMode =
                    try FileManager.default.attributesOfItem(atPath: dataDirectory + "/agent.key")[.posixPermissions]
                    as? Int
                #expect(keyMode == 0o600, "the agent's private key is readable by its owner only")
                #expect(
                    try await EndToEnd.eventually(10) {
                        try await lastHeartbeat(of: host, environment: environment) != nil
                    })

                // Renewed while running, and still heard after the first certificate has expired.
                _ = try await agent.waitForOutput(containing: "certificate renewed", timeout: 20)
                try await Task.sleep(for: .seconds(7))
                let recent = try #require(try await lastHeartbeat(of: host, environment: environment))
                #expect(Date().timeIntervalSince(recent) < 4, "heartbeats continue past the first certificate's expiry")
                agent.stop()
                #expect(agent.process.terminationStatus == 0, "SIGTERM stops the agent cleanly: \(agent.text)")

                // A restart needs no join token: the saved certificate is reused (or renewed).
                let restarted = try DaulatProcess(agentArguments)
                _ = try await restarted.waitForOutput(containing: "using the saved certificate")
                let before = try #require(try await lastHeartbeat(of: host, environment: environment))
                #expect(
                    try await EndToEnd.eventually(10) {
                        (try await lastHeartbeat(of: host, environment: environment) ?? before) > before
                    })

                // The used join token enrols nobody else.
                let (reuseStatus, reuseOutput) = try await DaulatProcess.run(
                    [
                        "agent", "--server", "https://127.0.0.1:\(port)", "--agent-server",
                        "https://127.0.0.1:\(agentPort)",
                        "--data-dir", directory.appendingPathComponent("intruder").path, "--join-token", joinToken,
                        "--charter", setup.charterFile,
                    ],
                    timeout: 30
                )
                #expect(reuseStatus != 0 && reuseOutput.contains("join_token_used"), "\(reuseOutput)")

                // Revoked: the running agent is refused from its next heartbeat on.
                let (revokeStatus, revokeOutput) = try await DaulatProcess.run(
                    ["host", "revoke", host], environment: environment)
                #expect(revokeStatus == 0, "\(revokeOutput)")
                _ = try await restarted.waitForOutput(containing: "certificate_revoked", timeout: 10)
                let atRevocation = try await lastHeartbeat(of: host, environment: environment)
                try await Task.sleep(for: .seconds(3))
                #expect(try await lastHeartbeat(of: host, environment: environment) == atRevocation)
                restarted.stop()
            }
        }
    }
}
