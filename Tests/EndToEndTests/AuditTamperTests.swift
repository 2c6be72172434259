import DaulatTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// Someone with write access to PostgreSQL changes, deletes, inserts or reorders audit rows (the
    /// append-only trigger switched off first): `daulat audit verify` finds each, and once the row is
    /// put back exactly as it was the log verifies again.
    @Suite("End to end: tampering with the audit log in PostgreSQL", .serialized)
    struct AuditTamperTests {
        static let psql = "/usr/lib/postgresql/15/bin/psql"

        @Test("a changed, deleted, inserted or moved row makes daulat audit verify fail")
        func tampering() async throws {
            try #require(FileManager.default.isExecutableFile(atPath: Self.psql), "psql is needed at \(Self.psql)")
            try await ServerSetup.run { setup in
                var running = try await setup.startSeeded()
                defer { running.process.stop() }
                let key = try await Self.publicKey(environment: running.environment)
                func verify(since: String? = nil) async throws -> (status: Int32, output: String) {
                    try await DaulatProcess.run(
                        ["audit", "verify", "--public-key", key] + (since.map { ["--since", $0] } ?? []),
                        environment: running.environment)
                }
                func sql(_ statement: String) async throws -> String {
                    let (status, text) = try await DaulatProcess.run(
                        [setup.databaseURL, "-v", "ON_ERROR_STOP=1", "-At", "-c", statement], program: Self.psql)
                    try #require(status == 0, "psql failed: \(text)")
                    return text.trimmingCharacters(in: .whitespacesAndNewlines)
                }
                let clean = try await verify()
                #expect(clean.status == 0 && clean.output.contains("the log matches"), "\(clean.output)")
                _ = try await sql("ALTER TABLE audit_log DISABLE TRIGGER USER")
                let columns = "seq, at_ms, actor, action, subject_kind, subject_id, before_doc, after_doc"
                let row5 = "(SELECT \(columns) FROM audit_log WHERE seq = 5)"
                _ = try await sql("CREATE TABLE kept AS SELECT \(columns) FROM audit_log WHERE seq IN (5, 6)")

                let cases: [(name: String, tamper: String, restore: String)] = [
                    (
                        "changed", "UPDATE audit_log SET actor = 'someone else' WHERE seq = 5",
                        "UPDATE audit_log SET actor = k.actor FROM kept k WHERE audit_log.seq = 5 AND k.seq = 5"
                    ),
                    (
                        "deleted", "DELETE FROM audit_log WHERE seq = 5",
                        "INSERT INTO audit_log (\(columns)) OVERRIDING SYSTEM VALUE SELECT * FROM kept WHERE seq = 5"
                    ),
                    (
                        "inserted",
                        "INSERT INTO audit_log (\(columns)) OVERRIDING SYSTEM VALUE SELECT 0, at_ms, actor, action, subject_kind, subject_id, before_doc, after_doc FROM \(row5) r",
                        "DELETE FROM audit_log WHERE seq = 0"
                    ),
                    (
                        "moved",
                        "UPDATE audit_log SET (at_ms, actor, action, subject_kind, subject_id, before_doc, after_doc) = (SELECT at_ms, actor, action, subject_kind, subject_id, before_doc, after_doc FROM kept k WHERE k.seq = 11 - audit_log.seq) WHERE seq IN (5, 6)",
                        "UPDATE audit_log SET (at_ms, actor, action, subject_kind, subject_id, before_doc, after_doc) = (SELECT at_ms, actor, action, subject_kind, subject_id, before_doc, after_doc FROM kept k WHERE k.seq = audit_log.seq) WHERE seq IN (5, 6)"
                    ),
                ]
                for (name, tamper, restore) in cases {
                    _ = try await sql(tamper)
                    let tampered = try await verify()
                    #expect(
                        tampered.status != 0 && tampered.output.contains("does not verify"),
                        "a \(name) row goes unnoticed: \(tampered.output)")
                    _ = try await sql(restore)
                    let restored = try await verify()
                    #expect(restored.status == 0, "after putting the \(name) row back: \(restored.output)")
                }
                #expect(try await sql("SELECT count(*) FROM audit_log WHERE seq IN (5, 6)") == "2")

                // Rows and heads changed together, the control plane restarted with nothing in memory: it
                // signs the changed log afresh, but not as an extension of a head kept outside.
                let keptHead = setup.directory.appendingPathComponent("kept-head.json")
                let printed = try await DaulatProcess.run(
                    ["audit", "tree-head", "--output", "json"], environment: running.environment)
                try Data(printed.output.utf8).write(to: keptHead)
                #expect(try await verify(since: keptHead.path).status == 0)
                _ = try await sql("UPDATE audit_log SET actor = 'someone else' WHERE seq = 5")
                // Restarted with nothing in memory, it sees the rows no longer give the head it kept.
                running.process.stop()
                running = try await setup.startServer()
                let refused = try await verify()
                #expect(
                    refused.status != 0 && refused.output.contains("has been changed"),
                    "the control plane signs no head over a changed log: \(refused.output)")
                _ = try await sql("ALTER TABLE tree_heads DISABLE TRIGGER USER")
                _ = try await sql("DELETE FROM tree_heads")
                running.process.stop()
                running = try await setup.startServer()
                let fresh = try await verify()
                #expect(
                    fresh.status == 0,
                    "without a head kept, a log rewritten with its heads looks whole: \(fresh.output)")
                let checked = try await verify(since: keptHead.path)
                #expect(
                    checked.status != 0 && checked.output.contains("does not verify")
                        && checked.output.contains("kept"),
                    "\(checked.output)")
            }
        }

        static func publicKey(environment: [String: String]) async throws -> String {
            let listed = try await DaulatProcess.run(["audit", "tree-head"], environment: environment)
            let line = try #require(listed.output.split(separator: "\n").last, "\(listed.output)")
            return try #require(line.split(separator: " ").last.map(String.init), "\(listed.output)")
        }
    }
}
