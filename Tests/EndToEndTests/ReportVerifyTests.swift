import DaulatTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// A residency report written by `daulat report residency` verifies with `daulat verify` given only
    /// the file and the public key (no server address, no token), and not once a byte is changed.
    @Suite("End to end: a residency report verified offline", .serialized)
    struct ReportVerifyTests {
        @Test("daulat verify accepts the report as written and refuses it with one byte changed or another key")
        func offline() async throws {
            try await ServerSetup.run { setup in
                let running = try await setup.startSeeded()
                defer { running.process.stop() }
                let key = try await AuditTamperTests.publicKey(environment: running.environment)
                let file = setup.directory.appendingPathComponent("id-residency.json")
                let written = try await DaulatProcess.run(
                    ["report", "residency", "--jurisdiction", "ID", "--to", file.path], environment: running.environment
                )
                #expect(written.status == 0, "\(written.output)")
                // Nothing but the binary, the file and the key.
                let offline = ["DAULAT_ADDR": "http://127.0.0.1:1", "DAULAT_TOKEN": ""]
                let verified = try await DaulatProcess.run(
                    ["verify", file.path, "--public-key", key], environment: offline)
                #expect(verified.status == 0 && verified.output.contains("the report verifies"), "\(verified.output)")

                var bytes = try Data(contentsOf: file)
                let position = try #require(bytes.firstRange(of: Data(#""jurisdiction":"ID""#.utf8))).upperBound - 2
                bytes[position] = UInt8(ascii: "J")
                let changed = setup.directory.appendingPathComponent("changed.json")
                try bytes.write(to: changed)
                let refused = try await DaulatProcess.run(
                    ["verify", changed.path, "--public-key", key], environment: offline)
                #expect(refused.status != 0 && refused.output.contains("does not verify"), "\(refused.output)")
                let otherKey = Data(repeating: 7, count: 32).base64EncodedString()
                let wrongKey = try await DaulatProcess.run(
                    ["verify", file.path, "--public-key", otherKey], environment: offline)
                #expect(wrongKey.status != 0 && wrongKey.output.contains("not the audit log key"), "\(wrongKey.output)")
            }
        }
    }
}
