import DaulatTestSupport
import Foundation
import Testing

/// Real `daulat server` processes on one fresh PostgreSQL database, for attacks that need several
/// control planes or the server's own start-up: its files in a temporary directory, removed afterwards.
struct ServerProcesses {
    let directory: URL
    let databaseURL: String

    static func run(_ body: (ServerProcesses) async throws -> Void) async throws {
        try await TestDatabase.withPostgresDatabase { url in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "daulat-servers-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            try await body(ServerProcesses(directory: directory, databaseURL: url))
        }
    }

    var tokenFile: URL { directory.appendingPathComponent("admin.token") }
    var caKeyFile: URL { directory.appendingPathComponent("ca.key") }
    /// Written by the server at each start; what its clients pin.
    var authorityFile: URL { directory.appendingPathComponent("ca.pem") }

    /// Writes a fresh CA key with `mode`, as an operator might (carelessly, with 0644).
    func writeCAKey(mode: Int) throws {
        let key = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        guard
            FileManager.default.createFile(
                atPath: caKeyFile.path, contents: Data((key + "\n").utf8), attributes: [.posixPermissions: mode])
        else { throw DaulatProcessError(message: "cannot write \(caKeyFile.path)") }
    }

    func arguments(migrate: Bool) -> [String] {
        [
            "server", "--database-url", databaseURL, "--port", "0", "--agent-port", "0", "--admin-token-file",
            tokenFile.path, "--ca-key-file", caKeyFile.path, "--ca-cert-file", authorityFile.path,
        ] + (migrate ? ["--migrate"] : [])
    }

    /// Starts a server and waits for its API's port.
    func start(migrate: Bool = true) async throws -> (process: DaulatProcess, port: Int) {
        let server = try DaulatProcess(arguments(migrate: migrate))
        let output = try await server.waitForOutput(containing: "daulat.port=")
        guard let range = output.range(of: "daulat.port="),
            let port = Int(output[range.upperBound...].prefix { $0.isNumber })
        else {
            server.stop()
            throw DaulatProcessError(message: "no port in:\n\(output)")
        }
        return (server, port)
    }

    func adminToken() throws -> String {
        try String(contentsOf: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
