import DaulatTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// The files that deploy Daulat on hosts without Kubernetes: the systemd units pass
    /// `systemd-analyze verify` against the real binary, the example configuration files are taken
    /// by the daemons they are for, and a file with a key misspelt or of the wrong type is refused,
    /// naming the key, before anything starts.
    @Suite("Deployment: systemd units and configuration files", .serialized)
    struct DeploymentFileTests {
        static let systemdDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Config/systemd")
        static let analyze = "/usr/bin/systemd-analyze"

        @Test("every unit verifies with systemd-analyze, its command pointing at the built binary")
        func units() async throws {
            try #require(
                FileManager.default.isExecutableFile(atPath: Self.analyze),
                "systemd-analyze is needed at \(Self.analyze) (Debian's systemd package)")
            let units = try FileManager.default.contentsOfDirectory(atPath: Self.systemdDirectory.path)
                .filter { $0.hasSuffix(".service") }.sorted()
            #expect(units == ["daulat-agent.service", "daulat-custodian.service"])
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("daulat-units-\(UUID())")
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: scratch) }
            for unit in units {
                let text = try String(
                    contentsOf: Self.systemdDirectory.appendingPathComponent(unit), encoding: .utf8)
                #expect(text.contains("ExecStart=/usr/local/bin/daulat "), "\(unit) runs the installed binary")
                let copy = scratch.appendingPathComponent(unit)
                try text.replacingOccurrences(of: "/usr/local/bin/daulat", with: DaulatProcess.binary.path)
                    .write(to: copy, atomically: true, encoding: .utf8)
                let verified = try await DaulatProcess.run(
                    ["verify", "--man=no", copy.path], program: Self.analyze)
                #expect(verified.status == 0 && verified.output.isEmpty, "\(unit): \(verified.output)")
            }
        }

        @Test("every key a daemon's file may hold is in docs/configuration.md with its environment variable")
        func documented() async throws {
            let documentation = try String(
                contentsOf: Self.systemdDirectory.deletingLastPathComponent().deletingLastPathComponent()
                    .appendingPathComponent("docs/configuration.md"), encoding: .utf8)
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("daulat-keys-\(UUID())")
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: scratch) }
            let file = scratch.appendingPathComponent("unknown.yaml")
            try "no-such-key: 1\n".write(to: file, atomically: true, encoding: .utf8)
            for command in ["server", "agent", "custodian"] {
                // The daemon names the keys it accepts when it refuses one it does not.
                let refused = try await DaulatProcess.run(
                    [command, "--config", file.path] + (command == "server" ? [] : ["--data-dir", scratch.path]))
                let listed = try #require(
                    refused.output.components(separatedBy: "the keys it may hold: ").last?
                        .split(separator: "\n").first, "\(command): \(refused.output)")
                let keys = listed.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                #expect(keys.count >= 4, "\(command): \(listed)")
                for key in keys {
                    // `ca.trustDomain` is DAULAT_CA_TRUST_DOMAIN: camel case splits into words.
                    let words = key.replacingOccurrences(
                        of: "([a-z])([A-Z])", with: "$1_$2", options: .regularExpression)
                    let variable = "DAULAT_" + words.replacingOccurrences(of: ".", with: "_").uppercased()
                    let documentedRow = documentation.contains("| `\(key)` | `\(variable)` |")
                    #expect(documentedRow, "docs/configuration.md documents \(command)'s key \(key) as \(variable)")
                }
            }
        }

        @Test("the example files are taken; an unknown key, a wrong type or a list is refused by name")
        func configuration() async throws {
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("daulat-config-\(UUID())")
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: scratch) }
            let dataDir = scratch.appendingPathComponent("data").path
            // The charter the files name, as a state would have given it, in place of /etc/daulat's.
            let charter = scratch.appendingPathComponent("charter.json")
            try Data((try TestStates.example().charterText + "\n").utf8).write(to: charter)
            // Past the file, each daemon stops at what it still lacks: the agent its join token, the
            // custodian its keystore key.
            let agent = try await DaulatProcess.run(
                [
                    "agent", "--config", Self.systemdDirectory.appendingPathComponent("agent.yaml").path, "--data-dir",
                    dataDir, "--charter", charter.path,
                ])
            #expect(agent.status != 0 && agent.output.contains("has not enrolled yet"), "\(agent.output)")
            let custodian = try await DaulatProcess.run(
                [
                    "custodian", "--config", Self.systemdDirectory.appendingPathComponent("custodian.yaml").path,
                    "--data-dir", dataDir,
                ])
            #expect(custodian.status != 0 && custodian.output.contains("no keystore key"), "\(custodian.output)")

            let refused: [(command: String, yaml: String, message: String)] = [
                ("agent", "server:\n  url: http://127.0.0.1:8080\nsevrer:\n  url: x\n", "unknown key 'sevrer.url'"),
                ("agent", "keystore:\n  key: c2VjcmV0\n", "unknown key 'keystore.key'"),
                ("custodian", "data:\n  dir: [a, b]\n", "'data.dir'"),
                ("server", "http:\n  port: eighty\n", "'http.port'"),
                ("server", "- database.url\n", "must be a mapping"),
            ]
            let untouched = scratch.appendingPathComponent("refused").path
            for (index, bad) in refused.enumerated() {
                let file = scratch.appendingPathComponent("bad-\(index).yaml")
                try bad.yaml.write(to: file, atomically: true, encoding: .utf8)
                let run = try await DaulatProcess.run(
                    [bad.command, "--config", file.path] + (bad.command == "server" ? [] : ["--data-dir", untouched]))
                #expect(run.status != 0 && run.output.contains(bad.message), "\(bad.yaml): \(run.output)")
                #expect(!FileManager.default.fileExists(atPath: untouched), "refused before its data directory is made")
            }
        }
    }
}
