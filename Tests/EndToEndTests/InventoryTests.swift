import Crypto
import DaulatCore
import DaulatTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// Agents report what they hold and re-read it: a copy corrupted or deleted behind their back is
    /// made again from a good one, and a blob no one registered is flagged for an operator.
    @Suite("End to end: inventory and scrub", .serialized)
    struct InventoryTests {
        struct Listed: Decodable {
            struct Agent: Decodable {
                let host: String
                let flaggedBlobs: [String]
            }
            let agents: [Agent]
        }

        @Test("a corrupted copy is found by the scrub and replaced; a deleted one is re-made; a stray blob is flagged")
        func repair() async throws {
            try await ServerSetup.run { setup in
                let running = try await setup.startSeeded()
                defer { running.process.stop() }
                let custodian = try await setup.startCustodian("id-custodian-1", running: running)
                defer { custodian.stop() }
                let environment = running.environment
                let registered = try await DaulatProcess.run(
                    [
                        "dataset", "register", "--name", "census", "--classification", "restricted", "--home", "ID",
                        "--owner-agency", "bps", "--replicas", "2",
                    ], environment: environment)
                #expect(registered.status == 0, "\(registered.output)")
                var agents: [String: DaulatProcess] = [:]
                defer { DaulatProcess.stop(Array(agents.values)) }
                for host in ["id-jkt-1-a", "id-jkt-1-b", "id-btm-1-a", "sg-sin-1-a"] {
                    agents[host] = try await setup.startAgent(
                        host, running: running,
                        extraArguments: ["--inventory-interval", "1", "--scrub-interval", "1"])
                }
                try await Task.sleep(for: .seconds(2))
                let file = setup.directory.appendingPathComponent("census.csv")
                try Data((0..<400_000).map { UInt8(truncatingIfNeeded: $0 &* 13) }).write(to: file)
                let uploaded = try await DaulatProcess.run(
                    ["dataset", "put", "census", file.path, "--output", "json"], environment: environment)
                #expect(uploaded.status == 0, "\(uploaded.output)")
                // Agents hold the sealed object, filed under its object with its hash.
                let json = try JSONSerialization.jsonObject(with: Data(uploaded.output.utf8)) as? [String: Any]
                let sha256 = try #require(json?["sha256"] as? String)
                let name = "\(try #require(json?["id"] as? String)).\(sha256)"
                let holders = { () async throws -> Set<String> in
                    Set(agents.keys.filter { setup.blobs(of: $0) == [name] })
                }
                var placed = Set<String>()
                for _ in 0..<80 where placed.count < 2 {
                    try await Task.sleep(for: .milliseconds(250))
                    placed = try await holders()
                }
                #expect(placed.count == 2, "held on \(placed)")
                let (first, second) = (placed.sorted()[0], placed.sorted()[1])
                let blob = { (host: String) in setup.blobDirectory(of: host).appendingPathComponent(name) }

                let bytes = try Data(contentsOf: blob(first))
                #expect(Hex.encode(SHA256.hash(data: bytes)) == sha256)
                // A flipped bit on one holder: the scrub deletes it, the copy is made again, intact.
                let handle = try FileHandle(forUpdating: blob(first))
                try handle.seek(toOffset: 1_000)
                try handle.write(contentsOf: Data([bytes[1_000] ^ 0x80]))
                try handle.close()
                _ = try await agents[first]!.waitForOutput(containing: "blob corrupted", timeout: 20)
                var restored = false
                for _ in 0..<80 where !restored {
                    try await Task.sleep(for: .milliseconds(250))
                    restored = (try? Data(contentsOf: blob(first))) == bytes
                }
                #expect(restored, "the corrupted copy was replaced with a good one")

                // The other holder's copy deleted by hand: its inventory shows it missing; it is re-made.
                try FileManager.default.removeItem(at: blob(second))
                var remade = false
                for _ in 0..<80 where !remade {
                    try await Task.sleep(for: .milliseconds(250))
                    remade = (try? Data(contentsOf: blob(second))) == bytes
                }
                #expect(remade, "the deleted copy was made again")
                #expect(try await holders() == placed, "and no copy went anywhere else")

                // A copy of no object anyone registered: flagged against its host, left where it is.
                let strayHost = try #require(Set(agents.keys).subtracting(placed).sorted().first)
                let stray = Data("not an object anyone registered".utf8)
                let strayObject = "obj-0123456789abcdef0123"
                let strayName = "\(strayObject).\(Hex.encode(SHA256.hash(data: stray)))"
                try stray.write(to: setup.blobDirectory(of: strayHost).appendingPathComponent(strayName))
                var flagged: [String] = []
                for _ in 0..<40 where flagged.isEmpty {
                    try await Task.sleep(for: .milliseconds(250))
                    let listed = try await DaulatProcess.run(
                        ["host", "list", "--output", "json"], environment: environment)
                    flagged =
                        try CanonicalJSON.decoder().decode(Listed.self, from: Data(listed.output.utf8)).agents
                        .first { $0.host == strayHost }?.flaggedBlobs ?? []
                }
                #expect(flagged == [strayObject])
                #expect(setup.blobs(of: strayHost) == [strayName], "a flagged copy is not deleted")
            }
        }
    }
}
