import DaulatPKI
import Foundation

/// `daulat server` as its own process on a benchmark's database, as in production but for plain HTTP on
/// loopback (these benchmarks measure the control plane against the database, not TLS), with its CA
/// key in a scratch file; agents are not enrolled, so its agent listener takes any free port.
struct BenchmarkServer {
    let process: Process
    let port: Int
    private let caKeyFile: URL
    private let tokenFile: URL
    private let authorityFile: URL

    /// Starts the server on the migrated database at `databaseURL` and waits until it is ready.
    static func start(databaseURL: String) async throws -> BenchmarkServer {
        let directory = FileManager.default.temporaryDirectory
        let caKeyFile = directory.appendingPathComponent("daulat-bench-\(UUID().uuidString).ca-key")
        let tokenFile = directory.appendingPathComponent("daulat-bench-\(UUID().uuidString).token")
        let authorityFile = directory.appendingPathComponent("daulat-bench-\(UUID().uuidString).ca.pem")
        _ = FileManager.default.createFile(
            atPath: caKeyFile.path, contents: Data(CertificateAuthorityKey.generate().base64.utf8),
            attributes: [.posixPermissions: 0o600]
        )
        let port = Int.random(in: 20000...40000)
        let process: Process
        do {
            process = try ChildProcess.launch([
                "server", "--database-url", databaseURL, "--port", "\(port)", "--agent-port", "0",
                "--admin-token-file", tokenFile.path, "--ca-key-file", caKeyFile.path, "--ca-cert-file",
                authorityFile.path, "--insecure-http",
            ])
        } catch {
            try? FileManager.default.removeItem(at: caKeyFile)
            throw error
        }
        let server = BenchmarkServer(
            process: process, port: port, caKeyFile: caKeyFile, tokenFile: tokenFile, authorityFile: authorityFile)
        do {
            try await ChildProcess.waitUntilReady("http://127.0.0.1:\(port)")
        } catch {
            server.stop()
            throw error
        }
        return server
    }

    /// Stops the server and removes its scratch files.
    func stop() {
        ChildProcess.stop(process)
        try? FileManager.default.removeItem(at: caKeyFile)
        try? FileManager.default.removeItem(at: tokenFile)
        try? FileManager.default.removeItem(at: authorityFile)
    }
}
