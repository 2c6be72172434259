import DaulatTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// The operator enrols a custodian of its own in the name of one Indonesia signed in: a fresh join
    /// token for `id-custodian-1`, a process and keys of its own, so that the control plane sends owners
    /// there for keys. The owner's client wraps a new object's key only to a key signed with the identity
    /// key Indonesia's signed record pins for that custodian, checked against the charter the owner was
    /// given: the impostor receives none, and nothing is registered.
    @Suite("End to end: a custodian the operator enrols in another's name receives no key", .serialized)
    struct CustodianImpostorAttackTests {
        @Test("put wraps to the custodian Indonesia signed in, and refuses the impostor the operator puts in its place")
        func impostorGetsNoKey() async throws {
            try await ServerSetup.run { setup in
                let running = try await setup.startSeeded()
                defer { running.process.stop() }
                let environment = running.environment
                let custodian = try await setup.startCustodian("id-custodian-1", running: running)
                defer { custodian.stop() }
                let (_, _, agent) = try await setup.registerWithAgent(
                    ["--name", "census", "--classification", "restricted", "--home", "ID", "--storage", "ID"],
                    running: running)
                defer { agent.stop() }
                let file = setup.directory.appendingPathComponent("census.csv")
                try Data("nik,name\n3171000000000001,Siti\n".utf8).write(to: file)
                let genuine = try await DaulatProcess.run(
                    ["dataset", "put", "census", file.path], environment: environment)
                #expect(genuine.status == 0, "\(genuine.output)")
                let pinned = try #require(try await Self.reportedKey(environment: environment))

                // Without the charter its state gave it, the client does not guess whose records to believe.
                var uncharted = environment
                uncharted["DAULAT_CHARTER"] = nil
                let unchecked = try await DaulatProcess.run(
                    ["dataset", "put", "census", file.path], environment: uncharted)
                #expect(unchecked.status != 0 && unchecked.output.contains("DAULAT_CHARTER"), "\(unchecked.output)")

                // The operator stops sending owners to the real custodian and enrols its own in its name.
                custodian.stop()
                let impostor = try await setup.startCustodian(
                    "id-custodian-1", running: running, home: "impostor", signedIn: false)
                defer { impostor.stop() }
                let replaced = try await EndToEnd.eventually(15) {
                    let reported = try await Self.reportedKey(environment: environment)
                    return reported != nil && reported != pinned
                }
                #expect(replaced, "the impostor never reported a key of its own")
                let refused = try await DaulatProcess.run(
                    ["dataset", "put", "census", file.path], environment: environment)
                #expect(refused.status != 0, "\(refused.output)")
                #expect(
                    refused.output.contains("not signed with the identity key ID's signed record pins"),
                    "\(refused.output)")
                let listed = try await DaulatProcess.run(
                    ["dataset", "objects", "census", "--output", "json"], environment: environment)
                let objects =
                    (try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [String: Any])?["objects"]
                    as? [[String: Any]]
                #expect(objects?.count == 1, "only the object sealed for the real custodian: \(listed.output)")
            }
        }

        /// The identity key the control plane last heard `id-custodian-1` report.
        static func reportedKey(environment: [String: String]) async throws -> String? {
            let listed = try await DaulatProcess.run(["custody", "list", "--output", "json"], environment: environment)
            let custodians =
                (try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [String: Any])?["custodians"]
                as? [[String: Any]]
            return custodians?.first { $0["id"] as? String == "id-custodian-1" }?["identityKey"] as? String
        }
    }
}
