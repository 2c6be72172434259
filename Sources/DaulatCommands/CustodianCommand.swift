import ArgumentParser
import DaulatCrypto
import DaulatCustodian
import DaulatFiles
import Foundation
import Logging
import ServiceLifecycle

/// `daulat custodian`: the key custodian daemon of one jurisdiction.
struct CustodianCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "custodian",
        abstract: "Run a key custodian: keys of the datasets whose keys may be held in its jurisdiction.",
        discussion: """
            On first start the custodian makes its own key, enrols with the one-time join token an \
            operator issued for it (`daulat custody join-token CUSTODIAN`) and keeps its certificate in \
            --data-dir; later starts reuse it. Its key-encryption keys live in --data-dir/keys, one file \
            per dataset and version, mode 0600, each sealed with the keystore key (32 random bytes, \
            base64, from DAULAT_KEYSTORE_KEY or --keystore-key-file). It serves key requests and unwraps on \
            its own HTTPS listener, releasing a key only against a decision the control plane signed \
            that carries the owner state's consent, once, re-wrapped to the requester's one-time key; \
            every release and refusal is logged.

            --charter is the alliance charter your own state's authority gave you, signed by every \
            founding state (daulat alliance charter verify FILE). The custodian checks every consent \
            against the state keys it pins, so neither the operator's keys nor its database can stand in \
            for an agency's or a state's signature.

            Settings come from, in order: options, environment (DAULAT_SERVER_URL, DAULAT_AGENTS_URL, \
            DAULAT_JOIN_TOKEN, DAULAT_DATA_DIR, DAULAT_KEYSTORE_KEY, DAULAT_CHARTER, DAULAT_CA_CERT), \
            the --config YAML file (server.url, agents.url, join.token, data.dir, keystore.key, charter, \
            ca.cert).

            The join token ends with the fingerprint of the alliance's certificate authority: the \
            token's secret is sent only to a server that authority (or, with --ca-cert, the operator's \
            own CA) vouches for, and an enrolment reply naming another authority is refused.

            Example (against `daulat dev --no-custodians`):
              openssl rand -base64 32 > keystore.key && chmod 600 keystore.key
              daulat custodian --server https://127.0.0.1:8080 --agent-server https://127.0.0.1:8443 \\
                --join-token djt_….3e7b… --data-dir /var/lib/daulat-custodian --keystore-key-file keystore.key \
                --charter charter.json
            """
    )

    @OptionGroup var daemon: DaemonOptions
    @Option(help: "A file holding the keystore key (base64 of 32 bytes, mode 0600).") var keystoreKeyFile: String?
    @Option(help: "Address the custodian listens on.") var host = "127.0.0.1"
    @Option(help: "Port it listens on (0 picks a free one; it reports it).") var port = 0
    @Option(help: "The host name or address clients reach it by (default: --host).") var advertiseHost: String?

    func run() async throws {
        let resolved = try await daemon.resolve(keys: ConfigurationKey.custodian)
        let keyText: String
        if let keystoreKeyFile {
            // Owner-only, like the keys it seals: checked on the opened file.
            do {
                guard let data = try DurableFile.readPrivate(URL(fileURLWithPath: keystoreKeyFile)) else {
                    throw ValidationError("--keystore-key-file \(keystoreKeyFile) does not exist")
                }
                keyText = String(decoding: data, as: UTF8.self)
            } catch let error as ValidationError {
                throw error
            } catch {
                throw ValidationError("--keystore-key-file \(keystoreKeyFile): \(error)")
            }
        } else if let configured = resolved.reader.string(forKey: "keystore.key", isSecret: true) {
            keyText = configured
        } else {
            throw ValidationError("no keystore key: pass --keystore-key-file or set DAULAT_KEYSTORE_KEY")
        }
        guard let keystoreKey = AtRestKey(base64: keyText.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw ValidationError("the keystore key must be base64 of 32 bytes (openssl rand -base64 32)")
        }
        let logger = Logging.Logger(label: "daulat.custodian")
        let custodian = CustodianService(
            settings: .init(
                serverURL: resolved.serverURL, listenerURL: resolved.listenerURL, joinToken: resolved.joinToken,
                dataDirectory: resolved.directory, keystoreKey: keystoreKey, charter: try resolved.charter(),
                heartbeatInterval: resolved.heartbeat,
                host: host, port: port, advertisedHost: advertiseHost, enrolment: resolved.enrolment),
            logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: custodian)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
