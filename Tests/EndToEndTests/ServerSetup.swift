import DaulatCore
import DaulatTestSupport
import Foundation
import Testing
import Yams

/// `daulat server` arguments for a fresh PostgreSQL database, with its token and CA key files in a
/// temporary directory that is removed afterwards.
struct ServerSetup {
    let databaseURL: String
    let directory: URL
    let tokenFile: String
    let arguments: [String]
    /// Given to every process started here: the server, its agents and custodians, and the CLI.
    let processEnvironment: [String: String]
    /// The states' keys; their charter is established by ``startSeeded(alliance:)``.
    let states: TestStates

    /// `migrate`: whether the server applies pending migrations itself (`--migrate`).
    static func run(
        migrate: Bool = true, extraArguments: [String] = [], environment: [String: String] = [:],
        _ body: (ServerSetup) async throws -> Void
    ) async throws {
        try await TestDatabase.withPostgresDatabase { url in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "daulat-e2e-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let tokenFile = directory.appendingPathComponent("admin.token").path
            let arguments = [
                "server", "--database-url", url, "--port", "0", "--agent-port", "0", "--admin-token-file", tokenFile,
                "--ca-key-file", try EndToEnd.DurabilityTests.caKeyFile(in: directory),
                "--ca-cert-file", directory.appendingPathComponent("ca.pem").path,
            ]
            try await body(
                ServerSetup(
                    databaseURL: url, directory: directory, tokenFile: tokenFile,
                    arguments: arguments + (migrate ? ["--migrate"] : []) + extraArguments,
                    processEnvironment: environment, states: try TestStates.example()
                )
            )
        }
    }

    /// The certificate authority's certificate the server wrote, which the CLI pins (DAULAT_CA_CERT).
    var authorityFile: String { directory.appendingPathComponent("ca.pem").path }

    /// The admin token the first server wrote.
    func adminToken() throws -> String {
        try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A started server with the example alliance applied: its ports and the environment for the CLI.
    struct Running {
        let process: DaulatProcess
        let port: Int
        let agentPort: Int
        var environment: [String: String]
        /// Agency `bps` of Indonesia, whose key the CLI signs consents with; set once seeded.
        var owner: TestMember?
        /// Each state's authority key file, by jurisdiction code; set once seeded.
        var authorityKeys: [String: String] = [:]
    }

    /// The states' charter, as every custodian here pins it (`--charter`).
    var charterFile: String { directory.appendingPathComponent("charter.json").path }

    /// Starts a server, waits for both of its listeners and ``seed(alliance:environment:)``s it. The CLI
    /// signs consents as agency `bps` of Indonesia (DAULAT_MEMBER_KEY, DAULAT_MEMBER_CERTIFICATE).
    func startSeeded(alliance: String = EndToEnd.DurabilityTests.exampleAlliancePath) async throws -> Running {
        var running = try await startServer()
        do {
            let files = try await seed(alliance: alliance, environment: running.environment)
            running.authorityKeys = files.authorityKeys
            running.environment["DAULAT_MEMBER_KEY"] = files.memberKey
            running.environment["DAULAT_MEMBER_CERTIFICATE"] = files.memberCertificate
            running.environment["DAULAT_CHARTER"] = files.charter
            running.owner = files.member
        } catch {
            running.process.stop()
            throw error
        }
        return running
    }

    /// Applies the example alliance (or another) through the control plane at `environment`,
    /// establishes the states' charter, made fresh for this setup, has the parties of every agreement
    /// the definition marks in force sign it, and every state sign the record of its ground and the
    /// alliance's rules, each with its own key, as states would.
    @discardableResult
    func seed(alliance: String = EndToEnd.DurabilityTests.exampleAlliancePath, environment: [String: String])
        async throws -> (
            charter: String, authorityKeys: [String: String], memberKey: String, memberCertificate: String,
            member: TestMember
        )
    {
        func run(_ arguments: [String]) async throws {
            let result = try await DaulatProcess.run(arguments, environment: environment)
            guard result.status == 0 else {
                throw DaulatProcessError(
                    message: "\(arguments.prefix(2).joined(separator: " ")) failed: \(result.output)")
            }
        }
        try await run(["alliance", "apply", "--file", alliance])
        let files = try states.writeFiles(to: directory)
        try await run(["alliance", "charter", "establish", files.charter])
        let definition = try YAMLDecoder().decode(
            AllianceDefinition.self, from: try String(contentsOfFile: alliance, encoding: .utf8))
        for agreement in definition.agreements where agreement.status == .inForce {
            for party in agreement.parties {
                try await run([
                    "agreement", "sign", agreement.id, "--authority-key", files.authorityKeys[party.rawValue] ?? "-",
                ])
            }
        }
        for jurisdiction in definition.jurisdictions {
            let key = files.authorityKeys[jurisdiction.code.rawValue] ?? "-"
            try await run(["site", "sign", "--authority-key", key])
            try await run(["alliance", "rules", "sign", "--authority-key", key])
        }
        return files
    }

    /// Starts a server on this setup's database as it is, and waits for both of its listeners.
    func startServer() async throws -> Running {
        let server = try DaulatProcess(arguments, environment: processEnvironment)
        let port = try EndToEnd.DurabilityTests.port(
            in: try await server.waitForOutput(containing: "daulat.port="), after: "daulat.port=")
        let agentPort = try EndToEnd.DurabilityTests.port(
            in: try await server.waitForOutput(containing: "daulat.agent_port="), after: "daulat.agent_port=")
        let environment = processEnvironment.merging(
            [
                "DAULAT_ADDR": "https://127.0.0.1:\(port)", "DAULAT_TOKEN": try adminToken(),
                "DAULAT_CA_CERT": authorityFile,
            ], uniquingKeysWith: { $1 })
        return Running(process: server, port: port, agentPort: agentPort, environment: environment)
    }

    /// Starts an agent for `host` with its data under this setup's directory (enrolling it first when
    /// it has not yet), reporting every second, and waits until it serves objects.
    func startAgent(_ host: String, running: Running, enrol: Bool = true, extraArguments: [String] = []) async throws
        -> DaulatProcess
    {
        var arguments =
            [
                "agent", "--server", "https://127.0.0.1:\(running.port)", "--agent-server",
                "https://127.0.0.1:\(running.agentPort)", "--data-dir", directory.appendingPathComponent(host).path,
                "--heartbeat-interval", "1", "--charter", charterFile,
            ] + extraArguments
        if enrol {
            arguments += [
                "--join-token", try await AgentListing.joinToken(for: host, environment: running.environment),
            ]
        }
        let agent = try DaulatProcess(arguments, environment: processEnvironment)
        _ = try await agent.waitForOutput(containing: "serving objects")
        return agent
    }

    /// Starts custodian `id` with its keystore under this setup's directory, enrolling it first, waits
    /// until the control plane lists where it serves keys, and has its state sign the record pinning
    /// the identity key it reported (as its state's authority would, once it is up).
    /// `home`: its data directory's name (default: `id`); `signedIn`: false to leave the record as it is.
    func startCustodian(_ id: String, running: Running, home: String? = nil, signedIn: Bool = true) async throws
        -> DaulatProcess
    {
        let home = home ?? id
        let keyFile = directory.appendingPathComponent("\(home).keystore-key")
        var generator = SystemRandomNumberGenerator()
        let key = Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }).base64EncodedString()
        guard
            FileManager.default.createFile(
                atPath: keyFile.path, contents: Data(key.utf8), attributes: [.posixPermissions: 0o600])
        else { throw DaulatProcessError(message: "cannot write \(keyFile.path)") }
        let (status, output) = try await DaulatProcess.run(
            ["custody", "join-token", id, "--ttl", "300", "--output", "json"], environment: running.environment)
        guard status == 0,
            let json = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any],
            let token = json["token"] as? String
        else { throw DaulatProcessError(message: "no join token for custodian \(id): \(output)") }
        let custodian = try DaulatProcess(
            [
                "custodian", "--server", "https://127.0.0.1:\(running.port)", "--agent-server",
                "https://127.0.0.1:\(running.agentPort)", "--data-dir", directory.appendingPathComponent(home).path,
                "--keystore-key-file", keyFile.path, "--heartbeat-interval", "1", "--join-token", token,
                "--charter", charterFile,
            ], environment: processEnvironment)
        _ = try await custodian.waitForOutput(containing: "serving keys")
        _ = try await EndToEnd.eventually(10) {
            let listed = try await DaulatProcess.run(
                ["custody", "list", "--output", "json"], environment: running.environment)
            let custodians =
                (try? JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [String: Any])?["custodians"]
                as? [[String: Any]]
            return custodians?.contains { $0["id"] as? String == id && $0["url"] is String } ?? false
        }
        guard signedIn else { return custodian }
        let jurisdiction = id.prefix { $0 != "-" }.uppercased()
        let signed = try await DaulatProcess.run(
            ["site", "sign", "--authority-key", running.authorityKeys[jurisdiction] ?? "-"],
            environment: running.environment)
        guard signed.status == 0 else {
            custodian.stop()
            throw DaulatProcessError(message: "\(jurisdiction) did not sign custodian \(id) in: \(signed.output)")
        }
        return custodian
    }

    /// A dataset registered with `options` (as `daulat dataset register` takes them, for one replica),
    /// and the agent of the host it is placed on, started and reporting where it serves objects.
    func registerWithAgent(_ options: [String], running: Running) async throws -> (
        datasetID: String, host: String, agent: DaulatProcess
    ) {
        let registered = try await DaulatProcess.run(
            ["dataset", "register", "--owner-agency", "bps", "--replicas", "1", "--output", "json"] + options,
            environment: running.environment)
        let json = try JSONSerialization.jsonObject(with: Data(registered.output.utf8)) as? [String: Any]
        guard registered.status == 0, let datasetID = (json?["dataset"] as? [String: Any])?["id"] as? String,
            let host = ((json?["placement"] as? [String: Any])?["choices"] as? [[String: Any]])?.first?["hostID"]
                as? String
        else { throw DaulatProcessError(message: "dataset register failed: \(registered.output)") }
        let agent = try await startAgent(host, running: running)
        _ = try await EndToEnd.eventually(10) {
            try await AgentListing.entries(environment: running.environment).contains {
                $0.host == host && $0.dataURL != nil
            }
        }
        return (datasetID, host, agent)
    }

    /// The copies an agent holds, from its own store on disk: file names, `<object id>.<sha256>`.
    func blobs(of host: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: blobDirectory(of: host).path)) ?? []).sorted()
    }

    /// Where an agent keeps its copies, each under its object.
    func blobDirectory(of host: String) -> URL {
        directory.appendingPathComponent(host).appendingPathComponent("store/objects")
    }
}
