import ArgumentParser
import Configuration
import DaulatControlPlane
import DaulatCore
import DaulatFiles
import DaulatPKI
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
            DAULAT_HTTP_PORT, DAULAT_AGENTS_HOST, DAULAT_AGENTS_PORT, DAULAT_CA_KEY, DAULAT_CA_TRUST_DOMAIN, \
            DAULAT_METRICS_TOKEN), the --config YAML file (database.url, http.host, http.port, agents.host, \
            agents.port, ca.key, ca.trustDomain, metrics.token, http.tlsCertFile, http.tlsKeyFile), defaults. \
            The server refuses a database whose schema is newer than it knows, \
            and one that is behind unless --migrate is given. On first start it creates an admin token \
            and writes it to --admin-token-file, and creates the alliance's certificate authority, its \
            private key sealed with the CA key (32 random bytes in base64: `openssl rand -base64 32`), \
            which must then be given at every start.

            The API is HTTPS: with --tls-cert-file and --tls-key-file (DAULAT_HTTP_TLS_CERT_FILE, \
            DAULAT_HTTP_TLS_KEY_FILE) it presents that certificate; otherwise one the certificate \
            authority issues at each start for the --tls-name names. Plain HTTP only with \
            --insecure-http, for a TLS-terminating proxy in front. At each start the authority's \
            certificate is written to --ca-cert-file and its fingerprint logged: clients pin it with \
            --ca-cert FILE or --ca-fingerprint, and join tokens carry it.
            """
    )

    @Option(help: "PostgreSQL URL, postgres://user:password@host:port/database.") var databaseURL: String?
    @Option(help: "Address to listen on.") var host: String?
    @Option(help: "Port to listen on.") var port: Int?
    @Option(help: "YAML configuration file.") var config: String?
    @Option(help: "Where to write the first admin token.") var adminTokenFile = "admin.token"
    @Flag(help: "Apply pending migrations before serving.") var migrate = false
    @Option(help: "Address of the agent listener (mutual TLS).") var agentHost: String?
    @Option(help: "Port of the agent listener.") var agentPort: Int?
    @Option(help: "A name or address agents dial the listener by (repeatable).") var agentName: [String] = []
    @Option(help: "File holding the CA key (or DAULAT_CA_KEY).") var caKeyFile: String?
    @Option(help: "The alliance's name in agent identities, used when the CA is first created.") var trustDomain:
        String?
    @Option(help: "Seconds an agent certificate stays valid.") var agentCertificateLifetime = 86_400
    @Option(help: "Seconds a reporting agent may fall silent before its host is taken out of placement.")
    var agentGrace = 60
    @Option(help: "Seconds a shred waits, cancellable, before keys are destroyed (a request may ask for longer).")
    var shredWindow = 86_400
    @Option(help: "The longest life, in seconds, an API token may be given (default a year).")
    var tokenMaxLifetime = 365 * 86_400
    @Option(help: "File holding the token a metrics scraper presents for /metrics (or DAULAT_METRICS_TOKEN).")
    var metricsTokenFile: String?
    @Option(help: "PEM certificate chain the API presents (with --tls-key-file); else the CA issues one.")
    var tlsCertFile: String?
    @Option(help: "PEM private key of --tls-cert-file.") var tlsKeyFile: String?
    @Option(help: "A name or IPv4 address clients dial the API by, for the certificate the CA issues (repeatable).")
    var tlsName: [String] = []
    @Flag(help: "Serve the API over plain HTTP: only behind a proxy that terminates TLS.") var insecureHTTP = false
    @Option(help: "Where to write the certificate authority's certificate at each start (public).")
    var caCertFile = "ca.pem"

    func run() async throws {
        guard agentGrace >= 1, agentCertificateLifetime >= 1 else {
            throw ValidationError("--agent-grace and --agent-certificate-lifetime must be at least 1 second")
        }
        guard (0...Int(DatasetShred.longestWindow)).contains(shredWindow) else {
            throw ValidationError("--shred-window must be from 0 to \(Int(DatasetShred.longestWindow)) seconds")
        }
        guard (3_600...10 * 365 * 86_400).contains(tokenMaxLifetime) else {
            throw ValidationError("--token-max-lifetime must be from 3600 (an hour) to 315360000 (ten years) seconds")
        }
        let reader = try await ConfigurationSources.reader(file: config, keys: ConfigurationKey.server)
        guard let url = databaseURL ?? reader.string(forKey: "database.url") else {
            throw ValidationError("no database: pass --database-url or set DAULAT_DATABASE_URL")
        }
        let logger = Logging.Logger(label: "daulat.server")
        let registry = PrometheusMetrics.bootstrap()
        let backend = try PostgresBackend(url: url, logger: logger)
        let store = SQLDaulatStore(backend: backend)
        let tokenFile = adminTokenFile
        let authorityFile = caCertFile
        let shouldMigrate = migrate
        let sealingKey = try caKey(reader)
        let domain = trustDomain ?? reader.string(forKey: "ca.trustDomain", default: "daulat.local")
        let app = ControlPlaneApplication.build(
            store: store,
            settings: .init(
                host: host ?? reader.string(forKey: "http.host", default: "127.0.0.1"),
                port: port ?? reader.int(forKey: "http.port", default: 8080),
                agents: .init(
                    listener: .init(
                        host: agentHost ?? reader.string(forKey: "agents.host", default: "127.0.0.1"),
                        port: agentPort ?? reader.int(forKey: "agents.port", default: 8443),
                        names: agentName.isEmpty ? ["localhost", "127.0.0.1"] : agentName
                    ),
                    sealingKey: sealingKey,
                    trustDomain: domain,
                    certificateLifetime: TimeInterval(agentCertificateLifetime),
                    heartbeatGrace: TimeInterval(agentGrace)
                ),
                shredWindow: TimeInterval(shredWindow),
                longestTokenLifetime: TimeInterval(tokenMaxLifetime),
                metricsToken: try metricsToken(reader),
                tls: try tls(reader)
            ),
            registry: registry,
            logger: logger,
            services: [backend],
            beforeServerStarts: {
                let runner = try MigrationRunner(backend: backend)
                if shouldMigrate { try await runner.apply() }
                try await runner.requireCurrent()
                if let secret = try await TokenIssuer.bootstrapAdmin(store: store) {
                    // Owner-only from the moment it exists: never readable by others, not even for a moment.
                    try DurableFile.write(Data((secret + "\n").utf8), to: URL(fileURLWithPath: tokenFile))
                    logger.notice("created the first admin token", metadata: ["daulat.token_file": "\(tokenFile)"])
                }
                let authority = try await CertificateAuthority.loadOrCreate(
                    from: store, sealingKey: sealingKey, trustDomain: domain)
                try DurableFile.write(
                    Data(try authority.certificatePEM.utf8), to: URL(fileURLWithPath: authorityFile), mode: 0o644)
                let fingerprint = try authority.fingerprint
                logger.notice(
                    "certificate authority",
                    metadata: ["daulat.ca_fingerprint": "\(fingerprint)", "daulat.ca_file": "\(authorityFile)"])
            },
            onServerRunning: { port in logger.info("daulat server listening", metadata: ["daulat.port": "\(port)"]) },
            onAgentListenerRunning: { port in
                logger.info("agent listener listening", metadata: ["daulat.agent_port": "\(port)"])
            }
        )
        let deadline = ShutdownDeadline(seconds: 20, logger: logger)
        try await app.runService()
        withExtendedLifetime(deadline) {}
    }

    /// The API's TLS: the certificate in files, or one the authority issues; none with --insecure-http.
    private func tls(_ reader: ConfigReader) throws -> PublicListenerTLS? {
        let certificate = tlsCertFile ?? reader.string(forKey: "http.tlsCertFile")
        let key = tlsKeyFile ?? reader.string(forKey: "http.tlsKeyFile")
        if insecureHTTP {
            guard certificate == nil, key == nil, tlsName.isEmpty else {
                throw ValidationError("--insecure-http serves plain HTTP: it takes no TLS certificate, key or name")
            }
            return nil
        }
        switch (certificate, key) {
        case (let certificate?, let key?):
            guard tlsName.isEmpty else {
                throw ValidationError("--tls-name is for the certificate the CA issues, not one from --tls-cert-file")
            }
            do {
                return try PublicListenerTLS(
                    .files(
                        certificateChain: URL(fileURLWithPath: certificate), privateKey: URL(fileURLWithPath: key)))
            } catch let error as PublicListenerTLSError {
                throw ValidationError(error.message)
            }
        case (nil, nil):
            return try PublicListenerTLS(.authority(names: tlsName.isEmpty ? ["localhost", "127.0.0.1"] : tlsName))
        default:
            throw ValidationError("give both --tls-cert-file and --tls-key-file, or neither")
        }
    }

    /// The token a scraper presents for /metrics: from --metrics-token-file (owner-only), else
    /// DAULAT_METRICS_TOKEN or `metrics.token`; none means only operator tokens read the metrics.
    private func metricsToken(_ reader: ConfigReader) throws -> String? {
        let text: String?
        if let metricsTokenFile {
            do {
                guard let data = try DurableFile.readPrivate(URL(fileURLWithPath: metricsTokenFile)) else {
                    throw ValidationError("--metrics-token-file \(metricsTokenFile) does not exist")
                }
                text = String(decoding: data, as: UTF8.self)
            } catch let error as DurableFileError {
                throw ValidationError("--metrics-token-file: \(error)")
            }
        } else {
            text = reader.string(forKey: "metrics.token", isSecret: true)
        }
        guard let token = text?.trimmingCharacters(in: .whitespacesAndNewlines) else { return nil }
        guard token.utf8.count >= 32 else {
            throw ValidationError("the metrics token must be at least 32 characters (openssl rand -base64 32)")
        }
        return token
    }

    /// The key that seals the CA's private key: from --ca-key-file, else DAULAT_CA_KEY or `ca.key`.
    private func caKey(_ reader: ConfigReader) throws -> CertificateAuthorityKey {
        let text: String
        if let caKeyFile {
            // Owner-only, like the key it seals: one that others may read may have been copied.
            do {
                guard let data = try DurableFile.readPrivate(URL(fileURLWithPath: caKeyFile)) else {
                    throw ValidationError("--ca-key-file \(caKeyFile) does not exist")
                }
                text = String(decoding: data, as: UTF8.self)
            } catch let error as DurableFileError {
                throw ValidationError("--ca-key-file: \(error)")
            }
        } else if let configured = reader.string(forKey: "ca.key", isSecret: true) {
            text = configured
        } else {
            throw ValidationError(
                "no CA key: pass --ca-key-file or set DAULAT_CA_KEY (generate one with `openssl rand -base64 32`)")
        }
        do {
            return try CertificateAuthorityKey(base64: text)
        } catch {
            throw ValidationError("the CA key is not usable: \(error)")
        }
    }
}
