import ArgumentParser
import Configuration
import DaulatAgent
import DaulatCore
import Foundation

/// What `daulat agent` and `daulat custodian` both need: where the control plane is, the join token
/// for the first start, the data directory, the heartbeat and the alliance charter their own state
/// gave them; each from an option, the environment or the --config file, in that order.
struct DaemonOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The control plane's public API, for enrolment.", valueName: "url")) var server: String?
    @Option(help: ArgumentHelp("The control plane's agent listener (https).", valueName: "url")) var agentServer:
        String?
    @Option(help: "The one-time join token (first start only); it pins the alliance's certificate authority.")
    var joinToken: String?
    @Option(
        help: ArgumentHelp(
            "PEM file of the CA that signed the API's certificate, when it is the operator's own rather than the alliance's (or DAULAT_CA_CERT).",
            valueName: "file"))
    var caCert: String?
    @Flag(
        help:
            "Enrol over plain HTTP to another machine: only inside a mesh that encrypts it (the join token crosses the network as is)."
    )
    var insecureHTTP = false
    @Option(help: "Where the daemon keeps its key, certificate and data.") var dataDir: String?
    @Option(help: "Seconds between heartbeats.") var heartbeatInterval = 10
    @Option(
        help: ArgumentHelp(
            "The alliance charter (JSON) the host's own state's authority gave it: the state keys it checks consents and agreements with (or DAULAT_CHARTER).",
            valueName: "file"))
    var charter: String?
    @Option(help: "YAML configuration file.") var config: String?

    struct Resolved {
        let reader: ConfigReader
        let serverURL: String
        let listenerURL: String
        let joinToken: String?
        /// How enrolment may reach the API besides the pinned authority and the system's roots.
        let enrolment: EnrolmentTransport
        let directory: URL
        let heartbeat: Duration
        let charterPath: String

        /// The charter in `charterPath`, verified: signed by every state it lists.
        func charter() throws -> AllianceCharter { try CharterFile.read(charterPath) }
    }

    /// `keys`: what the --config file may hold for this daemon.
    func resolve(keys: [ConfigurationKey] = ConfigurationKey.daemon) async throws -> Resolved {
        let reader = try await ConfigurationSources.reader(file: config, keys: keys)
        guard let serverURL = server ?? reader.string(forKey: "server.url") else {
            throw ValidationError("no control plane: pass --server or set DAULAT_SERVER_URL")
        }
        guard let listenerURL = agentServer ?? reader.string(forKey: "agents.url") else {
            throw ValidationError("no agent listener: pass --agent-server or set DAULAT_AGENTS_URL")
        }
        guard let directory = dataDir ?? reader.string(forKey: "data.dir") else {
            throw ValidationError("no data directory: pass --data-dir or set DAULAT_DATA_DIR")
        }
        guard heartbeatInterval >= 1 else { throw ValidationError("--heartbeat-interval must be at least 1 second") }
        guard let charterPath = charter ?? reader.string(forKey: "charter") else {
            throw ValidationError(
                "no alliance charter: pass --charter FILE (or DAULAT_CHARTER), the charter your state's authority gave you"
            )
        }
        let slashes = CharacterSet(charactersIn: "/")
        return Resolved(
            reader: reader, serverURL: serverURL.trimmingCharacters(in: slashes),
            listenerURL: listenerURL.trimmingCharacters(in: slashes),
            joinToken: joinToken ?? reader.string(forKey: "join.token"),
            enrolment: EnrolmentTransport(
                roots: try (caCert ?? reader.string(forKey: "ca.cert")).map {
                    try TrustedRoots.load(URL(fileURLWithPath: $0))
                }, plainHTTP: insecureHTTP),
            directory: URL(fileURLWithPath: directory, isDirectory: true), heartbeat: .seconds(heartbeatInterval),
            charterPath: charterPath)
    }
}
