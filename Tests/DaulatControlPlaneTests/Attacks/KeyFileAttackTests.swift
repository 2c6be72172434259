import DaulatTestSupport
import Foundation
import Testing

extension Attacks {
    /// Another user of the control plane's host reads its secrets from disk: the admin token, the key
    /// sealing the certificate authority, the key sealing the custodians' keystores. They are written
    /// owner-only from the moment they exist, and a key file others may read is refused, not used.
    @Suite("Attack: another local user reads the key files")
    struct KeyFileAttackTests {
        static func mode(_ path: URL) throws -> Int {
            ((try FileManager.default.attributesOfItem(atPath: path.path))[.posixPermissions] as? NSNumber)?.intValue
                ?? -1
        }

        @Test("daulat dev writes its keys and token owner-only, and will not start on a key others may read")
        func devKeys() async throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "daulat-keys-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            let arguments = ["dev", "--data-dir", directory.path, "--port", "0", "--agent-port", "0", "--no-agents"]
            let dev = try DaulatProcess(arguments)
            _ = try await dev.waitForOutput(containing: "Admin token")
            // Stopped once its custodians are up, the keystore key made for them.
            for _ in 0..<200 where dev.text.components(separatedBy: "serving keys").count <= 6 {
                try await Task.sleep(for: .milliseconds(50))
            }
            dev.stop()
            for name in ["admin.token", "ca.key", "keystore.key"] {
                #expect(try Self.mode(directory.appendingPathComponent(name)) == 0o600, "\(name)")
            }
            for name in ["ca.key", "keystore.key", "admin.token"] {
                let file = directory.appendingPathComponent(name)
                try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
                let refused = try await DaulatProcess.run(arguments, timeout: 60)
                #expect(refused.status != 0, "started with \(name) readable by others")
                #expect(refused.output.contains(name) && refused.output.contains("0600"), "\(refused.output)")
                try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
            }
        }

        @Test("daulat server will not start on a CA key file others may read")
        func serverKey() async throws {
            try await ServerProcesses.run { servers in
                try servers.writeCAKey(mode: 0o644)
                let refused = try await DaulatProcess.run(servers.arguments(migrate: true), timeout: 60)
                #expect(refused.status != 0 && refused.output.contains("0600"), "\(refused.output)")
                #expect(!FileManager.default.fileExists(atPath: servers.tokenFile.path), "nothing was set up")
                try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: servers.caKeyFile.path)
                let (server, _) = try await servers.start()
                server.stop()
                #expect(try Self.mode(servers.tokenFile) == 0o600)
            }
        }
    }
}
