import ArgumentParser
import AsyncHTTPClient
import Crypto
import DaulatAgent
import DaulatControlPlane
import DaulatCore
import DaulatPKI
import Foundation
import NIOCore

/// How long six agents take to converge after an agreement covering about a third of the objects is
/// suspended: until no copy is left where it may no longer be and every object is back at its count.
struct ConvergenceBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convergence",
        abstract: "Time to evacuate and re-replicate after suspending an agreement, over six agent processes.",
        discussion: """
            Runs `daulat dev --no-agents` (the embedded store) and an agent process for each host in \
            Indonesia, Singapore and Malaysia. Half the datasets are Indonesian `restricted` data (two \
            copies on two sites: Indonesia, and Singapore under the id-sg-restricted agreement), half \
            Malaysian `internal` data (anywhere in ASEAN). Uploads the objects, waits until every one has \
            its copies, suspends id-sg-restricted and times until no Indonesian copy is left in Singapore \
            and every object again has its copies.
            """
    )

    static let hosts = ["id-jkt-1-a", "id-jkt-1-b", "id-btm-1-a", "sg-sin-1-a", "my-kul-1-a", "my-jhb-1-a"]

    @Option(help: "Objects in all.") var objects = 10_000
    @Option(help: "Objects per dataset.") var perDataset = 50
    @Option(help: "Bytes per object.") var objectSize = 4_096
    @Option(help: "Give up after this many seconds at any stage.") var timeout = 1_800
    @Option(help: "Output format: table or json.") var output: OutputFormat = .table

    struct Result: Encodable {
        var objects: Int
        var datasets: Int
        var uploadSeconds: Double
        var initialReplicationSeconds: Double
        var copiesToEvacuate: Int
        var convergenceSeconds: Double
        var evacuationsMet: Int
        var evacuationsMissed: Int
    }

    func run() async throws {
        guard objects >= 1, perDataset >= 1, objectSize >= 1 else {
            throw ValidationError("--objects, --per-dataset and --object-size must be at least 1")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "daulat-bench-convergence-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let cluster = try await BenchmarkCluster.start(in: directory)
        defer { cluster.stop() }
        _ = try await cluster.startAgents(Self.hosts)
        let api = cluster.api

        let datasetCount = (objects + perDataset - 1) / perDataset
        var datasets: [(id: String, restricted: Bool)] = []
        for index in 0..<datasetCount {
            let restricted = index % 2 == 0
            let registered = try await cluster.register(
                name: "bench-\(index)", classification: restricted ? "restricted" : "internal", replicas: 2,
                home: restricted ? "ID" : "MY")
            datasets.append((registered.id, restricted))
        }
        progress("registered \(datasetCount) datasets; uploading \(objects) objects")

        let uploadStarted = ContinuousClock.now
        try await upload(datasets: datasets.map(\.id), api: api, charter: try cluster.charter())
        let uploadSeconds = (ContinuousClock.now - uploadStarted).inSeconds
        progress("uploaded in \(String(format: "%.1f", uploadSeconds)) s; waiting for every second copy")

        let replicationStarted = ContinuousClock.now
        _ = try await waitUntil(datasets: datasets, api: api) { state in state.underReplicated == 0 }
        let initialSeconds = (ContinuousClock.now - replicationStarted).inSeconds
        let before = try await state(of: datasets, api: api)
        progress(
            "every object has its copies after \(String(format: "%.1f", initialSeconds)) s; \(before.inSingapore) Indonesian copies are in Singapore; suspending id-sg-restricted"
        )

        // Indonesia suspends it, with the authority key `daulat dev` made for it.
        let (agreement, _) = try await api.get("/v1/agreements/id-sg-restricted", as: Agreement.self)
        let indonesia = try StateKeyFiles.read(
            DevStateKeys.authorityDirectory(in: cluster.controlPlaneDirectory).appendingPathComponent("ID.pem").path)
        _ = try await AgreementCommand.act(
            .suspend, on: agreement, as: try JurisdictionCode("ID"), signedWith: indonesia, api: api)
        let suspended = ContinuousClock.now
        _ = try await waitUntil(datasets: datasets, api: api) { state in
            state.inSingapore == 0 && state.underReplicatedOutsideSingapore == 0
        }
        let convergence = (ContinuousClock.now - suspended).inSeconds
        let (listed, _) = try await api.get(
            "/v1/evacuations?limit=1000", as: EvacuationCommand.Listed.self)
        let result = Result(
            objects: objects, datasets: datasetCount, uploadSeconds: uploadSeconds,
            initialReplicationSeconds: initialSeconds, copiesToEvacuate: before.inSingapore,
            convergenceSeconds: convergence, evacuationsMet: listed.evacuations.filter { $0.state == .met }.count,
            evacuationsMissed: listed.evacuations.filter { $0.state == .missed }.count)
        switch output {
        case .json:
            print(try CanonicalJSON.encode(result))
        case .table:
            var table = Table("MEASURE", "RESULT")
            table.add("objects (datasets)", "\(objects) (\(datasetCount)) over \(Self.hosts.count) agents")
            table.add("upload", String(format: "%.1f s", uploadSeconds))
            table.add("initial replication to 2 copies", String(format: "%.1f s", initialSeconds))
            table.add("copies in Singapore when the agreement was suspended", "\(before.inSingapore)")
            table.add("suspension → converged", String(format: "%.1f s", convergence))
            table.add(
                "evacuations met / missed (of the latest 1000)",
                "\(result.evacuationsMet) / \(result.evacuationsMissed)")
            print(table.render())
        }
    }

    /// What the agents hold, from the control plane's record of verified copies.
    struct State {
        var inSingapore = 0
        /// Objects with fewer than two copies; once the agreement is suspended, Indonesian copies in
        /// Singapore do not count.
        var underReplicated = 0
        var underReplicatedOutsideSingapore = 0
    }

    func state(of datasets: [(id: String, restricted: Bool)], api: APIClient) async throws -> State {
        var state = State()
        for dataset in datasets {
            let (listed, _) = try await api.get(
                APIClient.path("v1", "datasets", dataset.id, "objects"), as: ObjectList.self)
            for object in listed.objects {
                if dataset.restricted && object.holders.contains("sg-sin-1-a") { state.inSingapore += 1 }
                if object.holders.count < 2 { state.underReplicated += 1 }
                if object.holders.filter({ !(dataset.restricted && $0 == "sg-sin-1-a") }).count < 2 {
                    state.underReplicatedOutsideSingapore += 1
                }
            }
        }
        return state
    }

    func waitUntil(
        datasets: [(id: String, restricted: Bool)], api: APIClient, _ done: (State) -> Bool
    ) async throws -> State {
        let deadline = ContinuousClock.now + .seconds(timeout)
        var last = ""
        while true {
            let current = try await state(of: datasets, api: api)
            if done(current) { return current }
            let line =
                "\(current.underReplicated) objects short of copies (\(current.underReplicatedOutsideSingapore) not counting Singapore), \(current.inSingapore) Indonesian copies in Singapore"
            if line != last { progress(line) }
            last = line
            guard ContinuousClock.now < deadline else {
                throw ClientError(message: "not converged after \(timeout) s: \(line)")
            }
            try await Task.sleep(for: .milliseconds(500))
        }
    }

    /// Registers and uploads the objects, eight at a time over one TLS client.
    func upload(datasets: [String], api: APIClient, charter: AllianceCharter) async throws {
        var generator = SystemRandomNumberGenerator()
        let payloads = (0..<objects).map { _ in
            ByteBuffer(bytes: (0..<objectSize).map { _ in UInt8.random(in: 0...255, using: &generator) })
        }
        // Each dataset's custodians are asked for their keys once, not for every object.
        var fetched: [String: CustodyKeys] = [:]
        for dataset in datasets {
            fetched[dataset] = try await CustodyKeys.fetch(dataset: dataset, api: api, charter: charter)
        }
        let custody = fetched
        let first = try await create(payloads[0], dataset: datasets[0], custody: custody, api: api)
        // Every agent the objects may go to, reached by the name its certificate carries.
        let agents = try await api.get("/v1/agents", as: AgentList.self).0.agents
        let peers = try agents.compactMap { agent -> PeerAddress? in
            guard let url = agent.dataURL, let name = agent.peerName else { return nil }
            return try PeerAddress.host(agent.host, named: name, url: url)
        }
        try await ObjectClient.withClient(
            trusting: try await api.authority(matching: first.caCertificate), peers: peers
        ) { client in
            try await ObjectTransferClient.put(.bytes(payloads[0]), with: first, client: client)
            try await withThrowingTaskGroup(of: Void.self) { group in
                var next = 1
                for _ in 0..<8 where next < objects {
                    let index = next
                    next += 1
                    group.addTask {
                        try await self.send(
                            payloads[index], index: index, datasets: datasets, custody: custody, api: api,
                            client: client)
                    }
                }
                while try await group.next() != nil, next < objects {
                    let index = next
                    next += 1
                    group.addTask {
                        try await self.send(
                            payloads[index], index: index, datasets: datasets, custody: custody, api: api,
                            client: client)
                    }
                    if index % 1000 == 0 { progress("\(index) objects uploaded") }
                }
                try await group.waitForAll()
            }
        }
    }

    private func send(
        _ payload: ByteBuffer, index: Int, datasets: [String], custody: [String: CustodyKeys], api: APIClient,
        client: HTTPClient
    ) async throws {
        let transfer = try await create(payload, dataset: datasets[index / perDataset], custody: custody, api: api)
        try await ObjectTransferClient.put(.bytes(payload), with: transfer, client: client)
    }

    private func create(_ payload: ByteBuffer, dataset: String, custody: [String: CustodyKeys], api: APIClient)
        async throws -> ObjectTransfer
    {
        let sha256 = Hex.encode(payload.withUnsafeReadableBytes { SHA256.hash(data: $0) })
        return try await ObjectRegistration.registerRandom(
            sha256: sha256, sizeBytes: Int64(payload.readableBytes), dataset: dataset, custody: custody[dataset]!,
            api: api)
    }

    private func progress(_ line: String) {
        FileHandle.standardError.write(Data("\(line)\n".utf8))
    }
}
