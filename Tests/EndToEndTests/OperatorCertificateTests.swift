import DaulatTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// `daulat server` presenting a certificate from the operator's own PKI (`--tls-cert-file`,
    /// `--tls-key-file`) rather than one its CA issues, as a ministry's data centre would run it.
    @Suite("End to end: the API's certificate from the operator's own CA", .serialized)
    struct OperatorCertificateTests {
        /// A CA and a certificate it issued for 127.0.0.1, made by OpenSSL in `directory`.
        static func operatorPKI(in directory: URL) async throws -> (ca: String, certificate: String, key: String) {
            let path = { (name: String) in directory.appendingPathComponent(name).path }
            try Data("subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n".utf8).write(
                to: URL(fileURLWithPath: path("ext.cnf")))
            for arguments in [
                [
                    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                    path("ca.key"), "-out", path("operator-ca.pem"), "-days", "2", "-subj", "/CN=Ministry CA",
                    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign",
                ],
                [
                    "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                    path("api.key"), "-out", path("api.csr"), "-subj", "/CN=daulat-api",
                ],
                [
                    "x509", "-req", "-in", path("api.csr"), "-CA", path("operator-ca.pem"), "-CAkey", path("ca.key"),
                    "-CAcreateserial", "-out", path("api.pem"), "-days", "1", "-extfile", path("ext.cnf"),
                ],
            ] {
                let made = try await DaulatProcess.run(arguments, program: StateKeyTests.openssl)
                #expect(made.status == 0, "\(made.output)")
            }
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path("api.key"))
            return (path("operator-ca.pem"), path("api.pem"), path("api.key"))
        }

        @Test("the server presents the operator's certificate; clients trust it through the operator's CA only")
        func operatorCertificate() async throws {
            let pki = FileManager.default.temporaryDirectory.appendingPathComponent("daulat-pki-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: pki, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: pki) }
            let files = try await Self.operatorPKI(in: pki)

            // Half a pair is refused before anything starts.
            let half = try await DaulatProcess.run(
                [
                    "server", "--database-url", "postgres://nobody@127.0.0.1:1/none", "--tls-cert-file",
                    files.certificate,
                ],
                environment: [
                    "DAULAT_CA_KEY": Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
                ],
                timeout: 30)
            #expect(half.status != 0 && half.output.contains("--tls-key-file"), "\(half.output)")

            try await ServerSetup.run(extraArguments: [
                "--tls-cert-file", files.certificate, "--tls-key-file", files.key,
            ]) {
                setup in
                let running = try await setup.startServer()
                defer { running.process.stop() }
                // Pinned to the alliance's CA alone, the CLI does not trust a certificate the operator's CA
                // issued; with the operator's CA beside it, it does.
                let alone = try await DaulatProcess.run(["dataset", "list"], environment: running.environment)
                #expect(alone.status != 0 && alone.output.contains("not from a CA trusted here"), "\(alone.output)")
                let bundle = pki.appendingPathComponent("bundle.pem")
                try Data(
                    (try String(contentsOfFile: files.ca, encoding: .utf8)
                        + (try String(contentsOfFile: setup.authorityFile, encoding: .utf8))).utf8
                ).write(to: bundle)
                var environment = running.environment
                environment["DAULAT_CA_CERT"] = bundle.path
                try await setup.seed(environment: environment)
                // An agent enrols through it with the operator's CA given, its join token pinning the
                // alliance's.
                let seeded = ServerSetup.Running(
                    process: running.process, port: running.port, agentPort: running.agentPort,
                    environment: environment)
                let agent = try await setup.startAgent(
                    "id-jkt-1-a", running: seeded, extraArguments: ["--ca-cert", files.ca])
                agent.stop()
            }
        }
    }
}
