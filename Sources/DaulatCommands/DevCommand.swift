import ArgumentParser
import DaulatControlPlane
import DaulatCore
import DaulatCrypto
import DaulatExampleConfig
import DaulatFiles
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
            is; on first start it creates an admin token, written to DIR/admin.token. The API is served over \
            HTTPS with a certificate from the dev certificate authority, written to DIR/ca.pem for the \
            CLI to pin (DAULAT_CA_CERT), exactly as a deployment's is. It also makes the keys the states \
            and agencies would hold themselves: an authority key per jurisdiction in DIR/authorities, and \
            for the example agency bps (ASEAN/GOV/ID-BPS) a member key and Indonesia's certificate for it \
            in DIR/members (daulat member show DIR/members/bps.member --jurisdiction ID \
            --authority-key DIR/authorities/ID.pub); a witness key per jurisdiction in DIR/witnesses; and \
            the alliance charter every authority signed, DIR/charter.json, which it establishes and its \
            custodians pin. Every party signs the example's agreements the file marks in force; suspend one \
            as a party with daulat agreement suspend ID --authority-key DIR/authorities/ID.pem. Each state's witness runs here too, cosigning the audit log's checkpoints \
            every few seconds (daulat audit checkpoint shows them).
            """
    )

    @Option(help: "Where state is kept.") var dataDir = "daulat-data"
    @Option(help: "Port for the API (0 picks a free one).") var port = 8080
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Alliance definition to load on first start.") var alliance: String?
    @Option(help: "Port for the agent listener (mutual TLS; 0 picks a free one).") var agentPort = 8443
    @Flag(inversion: .prefixedNo, help: "Run one agent per site in this process.") var agents = true
    @Flag(inversion: .prefixedNo, help: "Run the alliance's key custodians in this process.") var custodians = true
    @Flag(inversion: .prefixedNo, help: "Run each state's witness of the audit log in this process.")
    var witnesses = true
    @Option(help: "Seconds a shred waits, cancellable, before keys are destroyed.") var shredWindow = 300

    func validate() throws {
        guard (0...Int(DatasetShred.longestWindow)).contains(shredWindow) else {
            throw ValidationError("--shred-window must be from 0 to \(Int(DatasetShred.longestWindow)) seconds")
        }
    }

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
        try DevStateKeys.ensure(in: directory, jurisdictions: definition.jurisdictions.map(\.code))
        let charterFile = DevStateKeys.charterFile(in: directory)
        let charter = try CharterFile.read(charterFile.path)
        _ = try await store.establishAllianceCharter(
            try CharterFile.readSigned(charterFile.path).text, at: CanonicalJSON.rounded(Date()), actor: "system:dev")
        // The states of the example sign the agreements the file says they mean to, so those are in
        // force; one that a state suspends or terminates later stays so.
        let authorityKeys = try DevStateKeys.authorityKeys(
            in: directory, jurisdictions: definition.jurisdictions.map(\.code))
        try await store.signDraftAgreements(
            Set(definition.agreements.filter { $0.status == .inForce }.map(\.id)), by: authorityKeys,
            under: charter, actor: "system:dev")
        // Each state signs the record of its sites, hosts and custodians (with the identity key each
        // custodian signs data keys with), which agents and custodians take where they stand from and
        // clients wrap keys by; signed again only when what stands on its soil changed.
        if custodians {
            try await DevCustodians.prepareIdentityKeys(
                store: store, directory: directory.appendingPathComponent("custodians", isDirectory: true))
        }
        try await store.signJurisdictionRecords(by: authorityKeys, at: Date(), actor: "system:dev")
        // And every state signs the alliance's classifications and groups, as loaded.
        try await store.signAllianceRules(by: authorityKeys, under: charter, at: Date(), actor: "system:dev")
        let tokenFile = directory.appendingPathComponent("admin.token")
        if let secret = try await TokenIssuer.bootstrapAdmin(store: store) {
            // Owner-only from the moment it exists: never readable by others, not even for a moment.
            try DurableFile.write(Data((secret + "\n").utf8), to: tokenFile)
        }
        let token = try DurableFile.readPrivate(tokenFile).map {
            String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let registry = PrometheusMetrics.bootstrap()
        let agentSettings = ControlPlaneApplication.AgentSettings(
            listener: .init(host: host, port: agentPort, names: ["localhost", host]),
            sealingKey: try Self.caKey(in: directory),
            trustDomain: "daulat.dev"
        )
        // The authority is made (or opened) here rather than when the server starts, for the join tokens
        // of the daemons below and for DIR/ca.pem, which the CLI pins.
        let authority = try await CertificateAuthority.loadOrCreate(
            from: store, sealingKey: agentSettings.sealingKey, trustDomain: agentSettings.trustDomain)
        let authorityFile = directory.appendingPathComponent("ca.pem")
        try DurableFile.write(Data(try authority.certificatePEM.utf8), to: authorityFile, mode: 0o644)
        let agentDaemons =
            agents
            ? try await DevAgents.daemons(
                store: store, authority: try authority.fingerprint,
                directory: directory.appendingPathComponent("agents", isDirectory: true), charter: charter,
                listenHost: host,
                logger: logger)
            : []
        let custodianDaemons =
            custodians
            ? try await DevCustodians.daemons(
                store: store, authority: try authority.fingerprint,
                directory: directory.appendingPathComponent("custodians", isDirectory: true),
                keystoreKey: try Self.keystoreKey(in: directory), charter: charter, listenHost: host, logger: logger)
            : []
        let banner = DevBanner(
            host: host, token: token, tokenFile: tokenFile, authorityFile: authorityFile, directory: directory,
            agentCount: agentDaemons.count)
        let daemons = agentDaemons + custodianDaemons
        let app = ControlPlaneApplication.build(
            store: store,
            settings: .init(
                host: host, port: port, reconcileInterval: .seconds(10), agents: agentSettings,
                shredWindow: TimeInterval(shredWindow),
                tls: try PublicListenerTLS(.authority(names: ["localhost", host]))),
            registry: registry,
            logger: logger,
            clients: (daemons.isEmpty ? [] : [DevDaemons(daemons: daemons, listenHost: host, banner: banner)])
                + (witnesses && token != nil
                    ? [
                        DevWitnesses(
                            banner: banner, listenHost: host, directory: directory,
                            jurisdictions: definition.jurisdictions.map(\.code), token: token ?? "",
                            authorityFile: authorityFile, logger: logger)
                    ] : []),
            onServerRunning: { boundPort in banner.apiListening(on: boundPort) },
            onAgentListenerRunning: { boundPort in banner.agentsListening(on: boundPort) }
        )
        try await app.runService()
    }

    /// The key sealing the dev custodians' keystores, made on first start and kept beside the database.
    static func keystoreKey(in directory: URL) throws -> AtRestKey {
        let file = directory.appendingPathComponent("keystore.key")
        guard let key = AtRestKey(base64: try keyText(file, generate: { AtRestKey.generate().base64 })) else {
            throw ValidationError("\(file.path) does not hold a keystore key (base64 of 32 bytes)")
        }
        return key
    }

    /// The key sealing the dev CA's private key, made on first start and kept beside the database.
    static func caKey(in directory: URL) throws -> CertificateAuthorityKey {
        try CertificateAuthorityKey(
            base64: try keyText(
                directory.appendingPathComponent("ca.key"), generate: { CertificateAuthorityKey.generate().base64 }))
    }

    /// The base64 key kept in `file`, made with `generate` and written owner-only if there is none.
    private static func keyText(_ file: URL, generate: () -> String) throws -> String {
        // A key that exists but cannot be read is an error, never a reason to make another: what it
        // sealed would be lost. One that others may read is refused: it may have been copied.
        if let data = try DurableFile.readPrivate(file) {
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let base64 = generate()
        try DurableFile.write(Data((base64 + "\n").utf8), to: file, replacing: false)
        return base64
    }
}
