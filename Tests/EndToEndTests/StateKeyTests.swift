import DaulatTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// What a regulator and an agency do with their own keys, with the binary as they run it, checked
    /// against OpenSSL, which reads and writes the same key files.
    @Suite("End to end: authority and member keys")
    struct StateKeyTests {
        static let openssl = "/usr/bin/openssl"

        /// The raw public key OpenSSL derives from a PEM private key file, base64.
        static func publicKey(ofKeyFile path: String, in directory: URL) async throws -> String {
            let der = directory.appendingPathComponent("pub-\(UUID().uuidString).der")
            let derived = try await DaulatProcess.run(
                ["pkey", "-in", path, "-pubout", "-outform", "DER", "-out", der.path], program: openssl)
            #expect(derived.status == 0, "\(derived.output)")
            return try Data(contentsOf: der).suffix(32).base64EncodedString()
        }

        @Test("daulat dev makes each state's authority key and the example agency's certified key, once")
        func devKeys() async throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "daulat-devkeys-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            let arguments = [
                "dev", "--data-dir", directory.path, "--port", "0", "--agent-port", "0", "--no-agents",
                "--no-custodians",
            ]
            var firstKey = ""
            for run in 0..<2 {
                let dev = try DaulatProcess(arguments)
                let banner = try await dev.waitForOutput(containing: "States' keys:")
                dev.stop()
                #expect(banner.contains("\(directory.path)/authorities"))
                for code in ["ID", "SG", "MY", "EE", "FI", "LU"] {
                    let key = directory.appendingPathComponent("authorities/\(code).pem").path
                    let mode = try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? Int
                    #expect(mode == 0o600, "\(code)'s authority key is its owner's alone")
                }
                let indonesia = directory.appendingPathComponent("authorities/ID.pem").path
                let key = try await Self.publicKey(ofKeyFile: indonesia, in: directory)
                if run == 0 { firstKey = key } else { #expect(key == firstKey, "a restart keeps the keys") }
                let shown = try await DaulatProcess.run([
                    "member", "show", directory.appendingPathComponent("members/bps.member").path, "--jurisdiction",
                    "ID", "--authority-key", directory.appendingPathComponent("authorities/ID.pub").path, "--output",
                    "json",
                ])
                #expect(shown.status == 0 && shown.output.contains("ASEAN/GOV/ID-BPS"), "\(shown.output)")
                #expect(
                    try await Self.publicKey(
                        ofKeyFile: directory.appendingPathComponent("members/bps.pem").path, in: directory)
                        == ((try JSONSerialization.jsonObject(with: Data(shown.output.utf8)) as? [String: Any])?[
                            "publicKey"] as? String))
            }
        }

        @Test("an authority certifies a member; the certificate checks against the pinned key and no other")
        func certifyAndCheck() async throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "daulat-keys-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let authorityFile = directory.appendingPathComponent("id-authority.pem").path
            let made = try await DaulatProcess.run(
                ["authority", "keygen", "--jurisdiction", "id", "--out", authorityFile, "--output", "json"])
            #expect(made.status == 0, "\(made.output)")
            let printed = try #require(
                (try JSONSerialization.jsonObject(with: Data(made.output.utf8)) as? [String: String])?["publicKey"])
            #expect(try await Self.publicKey(ofKeyFile: authorityFile, in: directory) == printed)
            let mode = try FileManager.default.attributesOfItem(atPath: authorityFile)[.posixPermissions] as? Int
            #expect(mode == 0o600, "the authority's key is its owner's alone")
            let again = try await DaulatProcess.run([
                "authority", "keygen", "--jurisdiction", "ID", "--out", authorityFile,
            ])
            #expect(again.status != 0 && again.output.contains("never overwritten"), "\(again.output)")

            // The agency's key made by OpenSSL: the same format either way.
            let memberFile = directory.appendingPathComponent("bps.pem").path
            let generated = try await DaulatProcess.run(
                ["genpkey", "-algorithm", "ed25519", "-out", memberFile], program: Self.openssl)
            #expect(generated.status == 0, "\(generated.output)")
            let memberKey = try await Self.publicKey(ofKeyFile: memberFile, in: directory)
            let certificate = directory.appendingPathComponent("bps.member").path
            let certified = try await DaulatProcess.run([
                "authority", "certify", "--key", authorityFile, "--jurisdiction", "ID", "--member",
                "ASEAN/GOV/ID-BPS/census", "--agency", "bps", "--public-key", memberKey, "--days", "30", "--out",
                certificate,
            ])
            #expect(certified.status == 0, "\(certified.output)")

            let shown = try await DaulatProcess.run([
                "member", "show", certificate, "--jurisdiction", "ID", "--authority-key", printed, "--output", "json",
            ])
            #expect(shown.status == 0, "\(shown.output)")
            let json = try #require(
                try JSONSerialization.jsonObject(with: Data(shown.output.utf8)) as? [String: String])
            #expect(
                json["member"] == "ASEAN/GOV/ID-BPS/census" && json["agency"] == "bps" && json["publicKey"] == memberKey
            )

            // Checked against another authority's key, or as a member of another state: refused, saying why.
            let otherFile = directory.appendingPathComponent("sg-authority.pem").path
            let other = try await DaulatProcess.run(
                ["authority", "keygen", "--jurisdiction", "SG", "--out", otherFile, "--output", "json"])
            let otherKey = try #require(
                (try JSONSerialization.jsonObject(with: Data(other.output.utf8)) as? [String: String])?["publicKey"])
            for (jurisdiction, key, code) in [
                ("ID", otherKey, "state_signature_invalid"), ("SG", printed, "member_certificate_wrong_jurisdiction"),
            ] {
                let refused = try await DaulatProcess.run([
                    "member", "show", certificate, "--jurisdiction", jurisdiction, "--authority-key", key,
                ])
                #expect(refused.status != 0 && refused.output.contains(code), "\(refused.output)")
            }
            // A key file others may read is not used.
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: authorityFile)
            let careless = try await DaulatProcess.run([
                "authority", "certify", "--key", authorityFile, "--jurisdiction", "ID", "--member", "ASEAN/GOV/ID-BPS",
                "--agency", "bps", "--public-key", memberKey, "--out", directory.appendingPathComponent("x").path,
            ])
            #expect(careless.status != 0, "\(careless.output)")
        }
    }
}
