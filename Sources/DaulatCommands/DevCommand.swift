import ArgumentParser
import DaulatControlPlane
import DaulatCore
import DaulatCrypto
import DaulatExampleConfig
import DaulatPKI
import DaulatStore
import Foundation
import Logging
import Prometheus

/// `daulat dev`: everything on one machine, on an embedded SQLite store.
struct DevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev",
        abstract: "Run a complete control plane on this machine with the example alliance.",
        discussion: """
            Keeps its state in --data-dir (SQLite, crash-safe): stop it and start it again and every \
            acknowledged change is still there. At each start it adds whatever the store lacks of the \
            example alliance (Config/example/alliance.yaml, or --alliance FILE), leaving what exists as it \
            is; on first start it creates an admin token, written to DIR/admin.token.
            """
    )

    @Option(help: "Where state is kept.") var dataDir = "daulat-data"
    @Option(help: "Port for the API (0 picks a free one).") var port = 8080
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Alliance definition to load on first start.") var alliance: String?
    @Option(help: "Port for the agent listener (mutual TLS; 0 picks a free one).") var agentPort = 8443
    @Flag(inversion: .prefixedNo, help: "Run one agent per site in this process.") var agents = true
    @Flag(inversion: .prefixedNo, help: "Run the alliance's key custodians in this process.") var custodians = true

    func run() async throws {
        let logger = Logging.Logger(label: "daulat.dev")
        let directory = URL(fileURLWithPath: dataDir, isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let backend = try await SQLiteBackend.open(
            path: directory.appendingPathComponent("daulat.sqlite").path, logger: logger)
        do {
            try await serve(on: backend, in: directory, logger: logger)
        } catch {
            try? await backend.close()
            throw error
        }
        try await backend.close()
    }

    /// Everything after the database is open, so that the database is closed whatever happens here.
    private func serve(on backend: SQLiteBackend, in directory: URL, logger: Logging.Logger) async throws {
        try await MigrationRunner(backend: backend).apply()
        let store = SQLDaulatStore(backend: backend)
        let definition = try AllianceDefinitionFile.load(
            alliance.map { URL(fileURLWithPath: $0) } ?? ExampleConfig.allianceFile)
        let added = try await AllianceSeeder.addMissing(to: store, from: definition, actor: "system:dev")
        if added > 0 {
            FileHandle.standardOutput.write(
                Data(
                    "Loaded the alliance: \(added) records added (\(definition.jurisdictions.count) jurisdictions, \(definition.sites.count) sites, \(definition.agreements.count) agreements in the file).\n"
                        .utf8
                ))
        }
        let tokenFile = directory.appendingPathComponent("admin.token")
        if let secret = try await TokenIssuer.bootstrapAdmin(store: store) {
            try Data((secret + "\n").utf8).write(to: tokenFile, options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: tokenFile.path)
        }
        let token = (try? String(contentsOf: tokenFile, encoding: .utf8))?.trimmingCharacters(
            in: .whitespacesAndNewlines)
        let registry = PrometheusMetrics.bootstrap()
        let agentSettings = ControlPlaneApplication.AgentSettings(
            listener: .init(host: host, port: agentPort, names: ["localhost", host]),
            sealingKey: try Self.caKey(in: directory),
            trustDomain: "daulat.dev"
        )
        let agentDirectory = directory.appendingPathComponent("agents", isDirectory: true)
        let members = agents ? try await DevAgents.members(store: store, directory: agentDirectory) : []
        let custodianDirectory = directory.appendingPathComponent("custodians", isDirectory: true)
        let custodians =
            self.custodians ? try await DevCustodians.members(store: store, directory: custodianDirectory) : []
        let banner = DevBanner(
            host: host, token: token, tokenFile: tokenFile, directory: directory, agentCount: members.count)
        let app = ControlPlaneApplication.build(
            store: store,
            settings: .init(host: host, port: port, reconcileInterval: .seconds(10), agents: agentSettings),
            registry: registry,
            logger: logger,
            clients: (members.isEmpty
                ? []
                : [
                    DevAgents(
                        members: members, directory: agentDirectory, listenHost: host, banner: banner, logger: logger)
                ])
                + (custodians.isEmpty
                    ? []
                    : [
                        DevCustodians(
                            members: custodians, directory: custodianDirectory,
                            keystoreKey: try Self.keystoreKey(in: directory), listenHost: host, banner: banner,
                            logger: logger)
                    ]),
            onServerRunning: { boundPort in banner.apiListening(on: boundPort) },
            onAgentListenerRunning: { boundPort in banner.agentsListening(on: boundPort) }
        )
        try await app.runService()
    }

    /// The key sealing the dev custodians' keystores, made on first start and kept beside the database.
    static func keystoreKey(in directory: URL) throws -> AtRestKey {
        let file = directory.appendingPathComponent("keystore.key")
        if let text = try? String(contentsOf: file, encoding: .utf8) {
            guard let key = AtRestKey(base64: text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw ValidationError("\(file.path) does not hold a keystore key (base64 of 32 bytes)")
            }
            return key
        }
        let (key, base64) = AtRestKey.generate()
        guard
            FileManager.default.createFile(
                atPath: file.path, contents: Data((base64 + "\n").utf8), attributes: [.posixPermissions: 0o600])
        else {
            throw ValidationError("cannot write the keystore key to \(file.path)")
        }
        return key
    }

    /// The key sealing the dev CA's private key, made on first start and kept beside the database.
    static func caKey(in directory: URL) throws -> CertificateAuthorityKey {
        let file = directory.appendingPathComponent("ca.key")
        if let text = try? String(contentsOf: file, encoding: .utf8) {
            return try CertificateAuthorityKey(base64: text)
        }
        let (key, base64) = CertificateAuthorityKey.generate()
        guard
            FileManager.default.createFile(
                atPath: file.path, contents: Data((base64 + "\n").utf8), attributes: [.posixPermissions: 0o600])
        else {
            throw ValidationError("cannot write the CA key to \(file.path)")
        }
        return key
    }
}
