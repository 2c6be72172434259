import DaulatCore
import DaulatPKI
import DaulatTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// The states' witnesses, each a `daulat witness` process of its own, cosign the audit log's
    /// checkpoints; `daulat verify` then accepts a residency report only of the log they saw, so the
    /// operator — who holds the log's key — cannot show a state another log than the others see.
    @Suite("End to end: witnessed checkpoints catch a split view", .serialized)
    struct WitnessTests {
        @Test(
            "two states' witnesses cosign the head a report is of; a report of another root at the same size, signed with the log's own key, is caught"
        )
        func splitView() async throws {
            try await ServerSetup.run { setup in
                let running = try await setup.startSeeded()
                defer { running.process.stop() }
                let key = try await AuditTamperTests.publicKey(environment: running.environment)
                let report = setup.directory.appendingPathComponent("id-residency.json")
                let written = try await DaulatProcess.run(
                    ["report", "residency", "--jurisdiction", "ID", "--to", report.path],
                    environment: running.environment)
                #expect(written.status == 0, "\(written.output)")
                let signed = try CanonicalJSON.decoder().decode(
                    SignedResidencyReport.self, from: try Data(contentsOf: report))
                let size = signed.report.treeHead.size

                // Indonesia's and Singapore's witnesses, each with its own key and state.
                for code in ["ID", "SG"] {
                    let keyFile = setup.directory.appendingPathComponent("\(code)-witness.pem")
                    let witnessKey = try #require(setup.states.witnesses[try JurisdictionCode(code)])
                    #expect(
                        FileManager.default.createFile(
                            atPath: keyFile.path, contents: Data(witnessKey.pemRepresentation.utf8),
                            attributes: [.posixPermissions: 0o600]))
                    let witness = try await DaulatProcess.run(
                        [
                            "witness", "--jurisdiction", code, "--key", keyFile.path, "--log-key", key, "--state-dir",
                            setup.directory.appendingPathComponent("\(code)-witness").path, "--once",
                        ], environment: running.environment)
                    #expect(witness.status == 0 && witness.output.contains("cosigned"), "\(witness.output)")
                }
                let checkpoint = setup.directory.appendingPathComponent("checkpoint.txt")
                let fetched = try await DaulatProcess.run(
                    ["audit", "checkpoint", "--size", "\(size)"], environment: running.environment)
                #expect(fetched.status == 0, "\(fetched.output)")
                try Data(fetched.output.utf8).write(to: checkpoint)

                let charter = setup.directory.appendingPathComponent("charter.json").path
                let offline = ["DAULAT_ADDR": "http://127.0.0.1:1", "DAULAT_TOKEN": ""]
                func verify(_ file: URL, quorum: Int = 2, with note: URL? = nil) async throws -> (
                    status: Int32, output: String
                ) {
                    try await DaulatProcess.run(
                        [
                            "verify", file.path, "--public-key", key, "--checkpoint", (note ?? checkpoint).path,
                            "--charter", charter, "--quorum", "\(quorum)",
                        ], environment: offline)
                }
                let verified = try await verify(report)
                #expect(
                    verified.status == 0 && verified.output.contains("witnessed by ID, SG"), "\(verified.output)")
                let three = try await verify(report, quorum: 3)
                #expect(three.status == 1 && three.output.contains("2 of the 3 witnesses"), "\(three.output)")

                // The operator signs another head of the same size with the log's key (it holds it,
                // sealed with its CA key) and gives Indonesia a report of that log.
                let (status, sealed) = try await DaulatProcess.run(
                    [setup.databaseURL, "-At", "-c", "SELECT sealed_key FROM audit_log_key"],
                    program: AuditTamperTests.psql)
                #expect(status == 0)
                let caKey = try String(
                    contentsOf: setup.directory.appendingPathComponent("ca.key"), encoding: .utf8)
                let logKey = try AuditLogKey(
                    sealed: sealed.trimmingCharacters(in: .whitespacesAndNewlines),
                    sealingKey: try CertificateAuthorityKey(
                        base64: caKey.trimmingCharacters(in: .whitespacesAndNewlines)))
                var forged = signed.report
                forged.treeHead = try logKey.sign(
                    size: size, root: (0..<32).map { _ in UInt8.random(in: 0...255) }, at: forged.treeHead.timestamp)
                let forgedFile = setup.directory.appendingPathComponent("forged.json")
                try Data(try CanonicalJSON.encode(try logKey.sign(forged)).utf8).write(to: forgedFile)
                // Alone, the report holds: the log's key signed it.
                let alone = try await DaulatProcess.run(
                    ["verify", forgedFile.path, "--public-key", key], environment: offline)
                #expect(alone.status == 0, "\(alone.output)")
                // With the witnessed checkpoint, it is caught.
                let caught = try await verify(forgedFile)
                #expect(
                    caught.status == 1 && caught.output.contains("differs from the one the witnesses saw"),
                    "\(caught.output)")
                // And a checkpoint of the forged head, which the operator can sign too, has no witness.
                let forgedNote = SignedNote(
                    text: Checkpoint(origin: "daulat.local/audit", size: size, root: forged.treeHead.root).text,
                    signatures: [
                        try logKey.sign(
                            Checkpoint(origin: "daulat.local/audit", size: size, root: forged.treeHead.root))
                    ])
                let forgedCheckpoint = setup.directory.appendingPathComponent("forged-checkpoint.txt")
                try Data(forgedNote.formatted.utf8).write(to: forgedCheckpoint)
                let unwitnessed = try await verify(forgedFile, with: forgedCheckpoint)
                #expect(
                    unwitnessed.status == 1 && unwitnessed.output.contains("ID's own witness has not cosigned"),
                    "\(unwitnessed.output)")

                // A witness that was shown the forged head before will not cosign the real one at that
                // size, nor a log smaller than one it saw: it says so and exits 1.
                let keyFile = setup.directory.appendingPathComponent("ID-witness.pem").path
                for (seen, refusal) in [
                    (forgedNote.text, "two roots at size \(size)"),
                    ("daulat.local/audit\n\(size + 100)\n\(forged.treeHead.root)\n", "went back"),
                ] {
                    let state = setup.directory.appendingPathComponent("misled-witness")
                    try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
                    try Data(seen.utf8).write(to: state.appendingPathComponent("witnessed-checkpoint"))
                    let refused = try await DaulatProcess.run(
                        [
                            "witness", "--jurisdiction", "ID", "--key", keyFile, "--log-key", key, "--state-dir",
                            state.path, "--once",
                        ], environment: running.environment)
                    #expect(refused.status == 1 && refused.output.contains(refusal), "\(refused.output)")
                }
            }
        }
    }
}
