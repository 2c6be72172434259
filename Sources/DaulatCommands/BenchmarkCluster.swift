import DaulatAgent
import DaulatControlPlane
import DaulatCore
import Foundation
import Synchronization

/// A control plane (`daulat dev --no-agents`) and agent processes in a scratch directory, as the
/// benchmarks that move objects need them: each a process of its own, as in production.
final class BenchmarkCluster: Sendable {
    let directory: URL
    let api: APIClient
    let port: Int
    let agentPort: Int
    private let processes: Mutex<[Process]>

    /// Where `daulat dev` keeps its state, and the keys it made for the example's states.
    var controlPlaneDirectory: URL { directory.appendingPathComponent("control-plane") }

    /// The charter the dev control plane's states signed, as a client of theirs is given it.
    func charter() throws -> AllianceCharter {
        try CharterFile.read(DevStateKeys.charterFile(in: controlPlaneDirectory).path)
    }

    private init(directory: URL, api: APIClient, port: Int, agentPort: Int, controlPlane: Process) {
        self.directory = directory
        self.api = api
        self.port = port
        self.agentPort = agentPort
        self.processes = Mutex([controlPlane])
    }

    /// Starts the control plane on the example alliance and waits until it is ready.
    static func start(in directory: URL) async throws -> BenchmarkCluster {
        let port = Int.random(in: 20000...30000)
        let agentPort = Int.random(in: 30001...40000)
        let controlPlane = try ChildProcess.launch(
            [
                "dev", "--data-dir", directory.appendingPathComponent("control-plane").path, "--port", "\(port)",
                "--agent-port", "\(agentPort)", "--no-agents", "--no-witnesses",
            ],
            log: directory.appendingPathComponent("control-plane.log"))
        // The dev CA is written before the API listens; the API is HTTPS with a certificate it issued.
        let roots = try await Self.authority(in: directory.appendingPathComponent("control-plane"))
        try await ChildProcess.waitUntilReady("https://127.0.0.1:\(port)", client: try roots.client())
        let token = try String(
            contentsOf: directory.appendingPathComponent("control-plane/admin.token"), encoding: .utf8
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        return BenchmarkCluster(
            directory: directory,
            api: APIClient(baseURL: "https://127.0.0.1:\(port)", token: token, pin: .roots(roots)),
            port: port,
            agentPort: agentPort, controlPlane: controlPlane)
    }

    /// The dev control plane's CA in `directory`, once it has written it.
    private static func authority(in directory: URL) async throws -> TrustedRoots {
        let file = directory.appendingPathComponent("ca.pem")
        for _ in 0..<200 {
            if FileManager.default.fileExists(atPath: file.path) { return try TrustedRoots.load(file) }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ClientError(message: "the dev control plane wrote no \(file.path)")
    }

    /// Registers a dataset of the example agency (at home in Indonesia unless told); returns its id and the hosts it is placed on.
    /// `policy`: more of the dataset's own policy than its replica count.
    func register(
        name: String, classification: String, replicas: Int, home: String = "ID",
        policy: [String: AnyEncodable] = [:]
    ) async throws -> (id: String, hosts: [String]) {
        let data = try await api.send(
            .POST, "/v1/datasets",
            body: [
                "name": AnyEncodable(name), "classification": AnyEncodable(classification),
                "home": AnyEncodable(home), "ownerAgency": AnyEncodable(DevStateKeys.exampleMember.agency),
                "policy": AnyEncodable(policy.merging(["replicas": AnyEncodable(replicas)]) { $1 }),
            ])
        let view = try CanonicalJSON.decoder().decode(DatasetView.self, from: data)
        return (view.dataset.id, view.placement?.hostIDs ?? [])
    }

    /// Enrols and starts an agent for each host, and waits until every one serves objects.
    func startAgents(_ hosts: [String]) async throws -> [String: Process] {
        var agents: [String: Process] = [:]
        for host in hosts {
            let issued = try CanonicalJSON.decoder().decode(
                IssuedJoinToken.self,
                from: try await api.send(
                    .POST, "/v1/join-tokens", body: ["host": AnyEncodable(host), "ttlSeconds": AnyEncodable(600)]))
            agents[host] = try ChildProcess.launch(
                [
                    "agent", "--server", "https://127.0.0.1:\(port)", "--agent-server",
                    "https://127.0.0.1:\(agentPort)",
                    "--join-token", issued.token, "--data-dir", directory.appendingPathComponent(host).path,
                    "--heartbeat-interval", "1", "--charter",
                    DevStateKeys.charterFile(in: controlPlaneDirectory).path,
                ],
                log: directory.appendingPathComponent("\(host).log"))
            processes.withLock { $0.append(agents[host]!) }
        }
        for _ in 0..<300 {
            let (listed, _) = try await api.get("/v1/agents", as: AgentList.self)
            let serving = Set(listed.agents.filter { $0.dataURL != nil }.map(\.host))
            if serving.isSuperset(of: hosts) { return agents }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ClientError(message: "the agents did not start; see the logs in \(directory.path)")
    }

    /// Waits until the object has `count` holders.
    func waitForHolders(of datasetID: String, object objectID: String, count: Int) async throws {
        while true {
            let (listed, _) = try await api.get(
                APIClient.path("v1", "datasets", datasetID, "objects"), as: ObjectList.self)
            if (listed.objects.first { $0.id == objectID }?.holders.count ?? 0) >= count { return }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    func stop() {
        processes.withLock({ $0 }).reversed().forEach(ChildProcess.stop)
    }

}
