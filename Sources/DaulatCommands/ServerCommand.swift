import ArgumentParser
import Configuration
import DaulatControlPlane
import DaulatStore
import Foundation
import Logging
import Prometheus

/// `daulat server`: the control plane on PostgreSQL.
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Run the control plane on PostgreSQL.",
        discussion: """
            Settings come from, in order: options, environment (DAULAT_DATABASE_URL, DAULAT_HTTP_HOST, \
            DAULAT_HTTP_PORT), the --config YAML file (database.url, http.host, http.port), defaults. \
            The server refuses a database whose schema is newer than it knows, and one that is behind \
            unless --migrate is given. On first start it creates an admin token and writes it to \
            --admin-token-file.
            """
    )

    @Option(help: "PostgreSQL URL, postgres://user:password@host:port/database.") var databaseURL: String?
    @Option(help: "Address to listen on.") var host: String?
    @Option(help: "Port to listen on.") var port: Int?
    @Option(help: "YAML configuration file.") var config: String?
    @Option(help: "Where to write the first admin token.") var adminTokenFile = "admin.token"
    @Flag(help: "Apply pending migrations before serving.") var migrate = false

    func run() async throws {
        let reader = try await ConfigurationSources.reader(file: config)
        guard let url = databaseURL ?? reader.string(forKey: "database.url") else {
            throw ValidationError("no database: pass --database-url or set DAULAT_DATABASE_URL")
        }
        let logger = Logging.Logger(label: "daulat.server")
        let registry = PrometheusMetrics.bootstrap()
        let backend = try PostgresBackend(url: url, logger: logger)
        let store = SQLDaulatStore(backend: backend)
        let tokenFile = adminTokenFile
        let shouldMigrate = migrate
        let app = ControlPlaneApplication.build(
            store: store,
            settings: .init(
                host: host ?? reader.string(forKey: "http.host", default: "127.0.0.1"),
                port: port ?? reader.int(forKey: "http.port", default: 8080)
            ),
            registry: registry,
            logger: logger,
            services: [backend],
            beforeServerStarts: {
            let runner = try MigrationRunner(backend: backend)
            if shouldMigrate { try await runner.apply() }
            try await runner.requireCurrent()
            if let secret = try await TokenIssuer.bootstrapAdmin(store: store) {
                try Data((secret + "\n").utf8).write(to: URL(fileURLWithPath: tokenFile), options: .atomic)
                try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: tokenFile)
                logger.notice("created the first admin token", metadata: ["daulat.token_file": "\(tokenFile)"])
            }
            },
            onServerRunning: { port in logger.info("daulat server listening", metadata: ["daulat.port": "\(port)"]) }
        )
        try await app.runService()
    }
}
