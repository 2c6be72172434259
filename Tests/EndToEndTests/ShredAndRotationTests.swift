import Crypto
import DaulatTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// Rotation and crypto-shredding with a real custodian and agent: a rotation moves every wrapped key
    /// to a new version and destroys the old one with the object still readable; a shred, once its
    /// window has passed, leaves no key anywhere: the ciphertext and a wrapped key kept aside, with a
    /// decision issued before, open for no one.
    @Suite("End to end: key rotation and crypto-shredding", .serialized)
    struct ShredAndRotationTests {
        @Test("rotation keeps objects readable; a cancelled shred changes nothing; a shred destroys keys and copies")
        func rotateThenShred() async throws {
            try await ServerSetup.run(extraArguments: ["--shred-window", "2"]) { setup in
                let running = try await setup.startSeeded()
                defer { running.process.stop() }
                let environment = running.environment
                let custodian = try await setup.startCustodian("id-custodian-1", running: running)
                defer { custodian.stop() }
                let (datasetID, host, agent) = try await setup.registerWithAgent(
                    ["--name", "census", "--classification", "restricted", "--home", "ID", "--storage", "ID"],
                    running: running)
                defer { agent.stop() }
                // Two objects, each under its own data key.
                var generator = SystemRandomNumberGenerator()
                var contents: [String: Data] = [:]
                for name in ["census-2024", "census-2025"] {
                    let file = setup.directory.appendingPathComponent("\(name).csv")
                    let bytes = Data((0..<150_000).map { _ in UInt8.random(in: 0...255, using: &generator) })
                    try bytes.write(to: file)
                    let put = try await DaulatProcess.run(
                        ["dataset", "put", "census", file.path, "--output", "json"], environment: environment)
                    #expect(put.status == 0, "\(put.output)")
                    let id = try #require(
                        (try JSONSerialization.jsonObject(with: Data(put.output.utf8)) as? [String: Any])?["id"]
                            as? String)
                    contents[id] = bytes
                }
                /// Whether every object opens to what was put.
                func readBack(_ name: String) async throws -> Bool {
                    var all = true
                    for (id, bytes) in contents {
                        let copy = setup.directory.appendingPathComponent("\(name)-\(id)")
                        let got = try await DaulatProcess.run(
                            ["dataset", "get", "census", id, "--to", copy.path], environment: environment)
                        all = all && got.status == 0 && (try? Data(contentsOf: copy)) == bytes
                    }
                    return all
                }

                // Rotation: a new version, the wrapped key moved to it, the old one destroyed.
                let keys = setup.directory.appendingPathComponent("id-custodian-1/keys/\(datasetID)")
                #expect(FileManager.default.fileExists(atPath: keys.appendingPathComponent("v1.key").path))
                let rotate = try await DaulatProcess.run(
                    ["custody", "rotate", "id-custodian-1", "--dataset", "census"], environment: environment)
                #expect(rotate.status == 0, "\(rotate.output)")
                var outcome: String?
                _ = try await EndToEnd.eventually(20) {
                    outcome =
                        try await Self.tasks(of: "id-custodian-1", environment: environment).first {
                            $0["kind"] as? String == "rotate"
                        }?["outcome"] as? String
                    return outcome != nil
                }
                #expect(outcome == "destroyed v1; in use v2")
                #expect(FileManager.default.fileExists(atPath: keys.appendingPathComponent("v1.destroyed").path))
                #expect(FileManager.default.fileExists(atPath: keys.appendingPathComponent("v2.key").path))
                #expect(try await readBack("rotated"), "every object opens with the rotated key")

                // A shred cancelled within its window leaves the data as it was.
                let pending = try await DaulatProcess.run(
                    ["dataset", "delete", "census", "--shred", "--window", "600"], environment: environment)
                #expect(pending.status == 0, "\(pending.output)")
                let cancel = try await DaulatProcess.run(
                    ["dataset", "shred", "cancel", "census"], environment: environment)
                #expect(cancel.status == 0 && cancel.output.contains("cancelled"), "\(cancel.output)")
                try await Task.sleep(for: .seconds(3))
                #expect(try await readBack("after-cancel"))

                // Kept aside before the shred: the sealed bytes, and a decision with the wrapped key.
                let blob = try #require(setup.blobs(of: host).first)
                let blobPath = setup.blobDirectory(of: host).appendingPathComponent(blob)
                let keptCiphertext = try Data(contentsOf: blobPath)
                let kept = try await KeyReleaseClient.release(
                    of: datasetID, port: running.port, client: try setup.httpsClient(), token: try setup.adminToken(),
                    requesterKey: P256.KeyAgreement.PrivateKey(), owner: running.owner)

                let shred = try await DaulatProcess.run(
                    ["dataset", "delete", "census", "--shred"], environment: environment)
                #expect(shred.status == 0, "\(shred.output)")
                let gone = try await EndToEnd.eventually(30) {
                    try await DaulatProcess.run(["dataset", "show", "census"], environment: environment).status != 0
                }
                #expect(gone, "the shred completes once the key is destroyed and the copy deleted")
                #expect(setup.blobs(of: host).isEmpty, "the agent deleted its copies")
                #expect(FileManager.default.fileExists(atPath: keys.appendingPathComponent("v2.destroyed").path))
                #expect(!FileManager.default.fileExists(atPath: keys.appendingPathComponent("v2.key").path))
                #expect(!keptCiphertext.isEmpty)

                // The custodian no longer has the key: the decision still holds, the key does not open.
                let answer = try await KeyReleaseClient.unwrap(kept)
                #expect(answer.status == 410 && answer.body.contains("key_destroyed"), "\(answer.body)")
                let actions = try await ObjectTransferTests.auditActions(
                    port: running.port, client: try setup.httpsClient(), token: try setup.adminToken())
                for action in [
                    "custodian.key_rotated", "dataset.shred_cancelled", "dataset.shredded", "custodian.keys_destroyed",
                    "object.copy_released", "dataset.shred_completed",
                ] {
                    #expect(actions.contains(action), "\(action) is audited")
                }
            }
        }

        static func tasks(of custodian: String, environment: [String: String]) async throws -> [[String: Any]] {
            let listed = try await DaulatProcess.run(
                ["custody", "tasks", custodian, "--output", "json"], environment: environment)
            return (try? JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [String: Any])?["tasks"]
                as? [[String: Any]] ?? []
        }
    }
}
