import DaulatTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// A data key split 2-of-3 across custodians in Indonesia, Singapore and Malaysia: the object opens
    /// with any two of them and not with one, and the client says which shares are missing and where.
    @Suite("End to end: keys split across custodians in three states", .serialized)
    struct SplitCustodyTests {
        @Test("2-of-3: opens with all three or any two custodians, not with one; split refused where keys stay home")
        func splitKey() async throws {
            try await ServerSetup.run { setup in
                let running = try await setup.startSeeded()
                defer { running.process.stop() }
                let environment = running.environment
                var custodians: [String: DaulatProcess] = [:]
                defer { DaulatProcess.stop(Array(custodians.values)) }
                for id in ["id-custodian-1", "sg-custodian-1", "my-custodian-1"] {
                    custodians[id] = try await setup.startCustodian(id, running: running)
                }

                // Restricted keys stay at home: there is no second state to hold a share.
                let homeOnly = try await DaulatProcess.run(
                    [
                        "dataset", "register", "--name", "home-only", "--classification", "restricted", "--home", "ID",
                        "--owner-agency", "bps", "--key-split", "2-of-3",
                    ], environment: environment)
                #expect(homeOnly.status != 0 && homeOnly.output.contains("inconsistent_policy"), "\(homeOnly.output)")

                let (_, _, agent) = try await setup.registerWithAgent(
                    [
                        "--name", "trade", "--classification", "public", "--home", "ID", "--storage", "ID",
                        "--key-split", "2-of-3",
                    ], running: running)
                defer { agent.stop() }

                let original = setup.directory.appendingPathComponent("trade.csv")
                var generator = SystemRandomNumberGenerator()
                let bytes = (0..<200_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
                try Data(bytes).write(to: original)
                let put = try await DaulatProcess.run(
                    ["dataset", "put", "trade", original.path], environment: environment)
                #expect(put.status == 0, "\(put.output)")

                // The control plane holds three shares, one per state, any two of which open the key.
                let registration = try #require(
                    try await ObjectTransferTests.auditEntries(
                        port: running.port, client: try setup.httpsClient(), token: try setup.adminToken()
                    )
                    .first { $0["action"] as? String == "object.registered" })
                let document = try #require((registration["after"] as? String)?.data(using: .utf8))
                let keys = try #require(
                    (try JSONSerialization.jsonObject(with: document) as? [String: Any])?["keys"] as? [[String: Any]])
                #expect(Set(keys.compactMap { $0["custodianID"] as? String }) == Set(custodians.keys))
                #expect(keys.allSatisfy { $0["threshold"] as? Int == 2 })
                #expect(Set(keys.compactMap { $0["shareIndex"] as? Int }) == [1, 2, 3])

                func get(_ name: String) async throws -> (status: Int32, output: String, file: URL) {
                    let file = setup.directory.appendingPathComponent(name)
                    let result = try await DaulatProcess.run(
                        ["dataset", "get", "trade", "--to", file.path], environment: environment)
                    return (result.status, result.output, file)
                }
                let all = try await get("all.copy")
                #expect(all.status == 0, "\(all.output)")
                #expect(try Data(contentsOf: all.file) == Data(bytes))

                custodians.removeValue(forKey: "sg-custodian-1")?.stop()
                let two = try await get("two.copy")
                #expect(two.status == 0, "\(two.output)")
                #expect(try Data(contentsOf: two.file) == Data(bytes))

                custodians.removeValue(forKey: "my-custodian-1")?.stop()
                let one = try await get("one.copy")
                #expect(one.status != 0)
                #expect(one.output.contains("1 of the 2 shares needed"), "\(one.output)")
                #expect(
                    one.output.contains("custodian sg-custodian-1 in SG")
                        && one.output.contains("custodian my-custodian-1 in MY"),
                    "the client names each missing share and where it is held: \(one.output)")
                #expect(!FileManager.default.fileExists(atPath: one.file.path))
            }
        }
    }
}
