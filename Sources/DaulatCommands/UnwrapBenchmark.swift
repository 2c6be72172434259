import ArgumentParser
import AsyncHTTPClient
import Crypto
import DaulatAgent
import DaulatControlPlane
import DaulatCore
import DaulatCrypto
import Foundation

/// Custodian unwraps per second, and how long a client waits for a data key split 2-of-3, on the
/// example alliance run by `daulat dev` (its custodians each a process of their own, as in production).
struct UnwrapBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unwrap",
        abstract: "Custodian unwraps per second against openssl's P-256 rate; a client's wait for a 2-of-3 key.",
        discussion: """
            Throughput: signed decisions are fetched from the control plane first, then --clients \
            concurrent clients present them to one custodian, which checks each decision, records it as \
            used (fsync), opens its share and re-wraps it to the requester's one-time key. Each release \
            costs at least three P-256 scalar multiplications (opening the wrapped share, and the new \
            ephemeral key and shared secret of the re-wrapping), so the limit printed is \
            `openssl speed ecdhp256` operations per second on one core, divided by three. \
            Latency: --recoveries times in a row, what `daulat dataset get` does before downloading: a \
            decision from the control plane, then the three shares asked at once, the key put together \
            from the first two; against two plain HTTP round trips to the control plane.
            """
    )

    @Option(help: "Unwraps measured for throughput.") var unwraps = 1_000
    @Option(help: "Concurrent clients for throughput.") var clients = 8
    @Option(help: "Key recoveries timed for latency.") var recoveries = 100
    @Option(help: "Output format: table or json.") var output: OutputFormat = .table

    func validate() throws {
        guard unwraps >= 1, (1...64).contains(clients), recoveries >= 1 else {
            throw ValidationError("--unwraps and --recoveries must be positive, --clients 1 to 64")
        }
    }

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "daulat-bench-unwrap-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let cluster = try await BenchmarkCluster.start(in: directory)
        defer {
            cluster.stop()
            try? FileManager.default.removeItem(at: directory)
        }
        let api = cluster.api
        try await waitForCustodians(["ID", "SG", "MY"], api: api)
        let dataset = try await cluster.register(
            name: "unwrap-bench", classification: "public", replicas: 1,
            policy: ["storage": AnyEncodable(["ID"]), "keySplit": AnyEncodable(KeySplit(threshold: 2, shares: 3))])
        _ = try await cluster.startAgents(Array(dataset.hosts.prefix(1)))
        let dataKey = SymmetricKey(size: .bits256)
        let objectID = Identifier.random(prefix: "obj-", length: 20)
        _ = try await ObjectRegistration.register(
            objectID: objectID, keyID: Identifier.random(prefix: "dk-", length: 20), dataKey: dataKey,
            sha256: Hex.encode(SHA256.hash(data: Data(objectID.utf8))), sizeBytes: 1, dataset: dataset.id,
            custody: try await CustodyKeys.fetch(dataset: dataset.id, api: api, charter: try cluster.charter()),
            api: api)

        // The example agency's own key signs every consent, as `dataset get` does.
        let members = directory.appendingPathComponent("control-plane/members")
        let signer = try ConsentSigner.resolve(
            memberKey: members.appendingPathComponent("bps.pem").path,
            memberCertificate: members.appendingPathComponent("bps.member").path, authorityKey: nil)
        let perSecond = try await throughput(dataset: dataset.id, objectID: objectID, signer: signer, api: api)
        let ecdh = try Self.openSSLECDHPerSecond()
        let latencies = try await latency(
            dataset: dataset.id, objectID: objectID, dataKey: dataKey, signer: signer, api: api)
        let roundTrip = try await Self.roundTrip(api: cluster.api)
        try BenchmarkReport(
            benchmark: "unwrap", parameters: ["unwraps": unwraps, "clients": clients],
            daulatLabel: "custodian unwraps/s (\(clients) clients, one custodian)", daulatPerSecond: perSecond,
            limitLabel: "openssl speed ecdhp256, one core, ops/s / 3", limitPerSecond: ecdh / 3, target: nil
        ).print(output)
        let sorted = latencies.sorted()
        func percentile(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        let floor = 2 * roundTrip
        switch output {
        case .json:
            print(
                try CanonicalJSON.encode([
                    "recoveries": Double(recoveries), "p50Milliseconds": percentile(0.5) * 1000,
                    "p95Milliseconds": percentile(0.95) * 1000, "p99Milliseconds": percentile(0.99) * 1000,
                    "twoRoundTripsMilliseconds": floor * 1000, "ratio": floor / percentile(0.5),
                ]))
        case .table:
            var table = Table("2-OF-3 KEY RECOVERY (\(recoveries) in a row)", "MILLISECONDS")
            for (label, p) in [("p50", 0.5), ("p95", 0.95), ("p99", 0.99)] {
                table.add(label, String(format: "%.1f", percentile(p) * 1000))
            }
            table.add("two HTTP round trips to the control plane", String(format: "%.2f", floor * 1000))
            table.add("ratio (two round trips / p50)", String(format: "%.3f", floor / percentile(0.5)))
            print(table.render())
        }
    }

    /// Unwraps per second of one custodian, from decisions fetched beforehand.
    private func throughput(dataset: String, objectID: String, signer: ConsentSigner, api: APIClient) async throws
        -> Double
    {
        var requests: [(url: String, request: CustodianMessages.ShareRequest)] = []
        var authority = ""
        var peer: PeerAddress?
        for _ in 0..<unwraps {
            let release = try await Self.release(dataset: dataset, objectID: objectID, signer: signer, api: api).release
            guard let key = release.keys.first(where: { $0.custodianID == "id-custodian-1" }),
                let holder = release.custodians.first(where: { $0.custodianID == key.custodianID })
            else { throw ClientError(message: "the release names no key held by id-custodian-1") }
            peer = try holder.peer()
            requests.append(
                (
                    try holder.peer().url("/v1/unwrap"),
                    CustodianMessages.ShareRequest(decision: release.decision, objectID: objectID, key: key)
                ))
            authority = try await api.authority(matching: release.caCertificate)
        }
        let batches = (0..<clients).map { client in
            stride(from: client, to: requests.count, by: clients).map { requests[$0] }
        }
        return try await ObjectClient.withClient(trusting: authority, peers: peer.map { [$0] } ?? []) { http in
            let start = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for batch in batches {
                    group.addTask {
                        for (url, request) in batch {
                            _ = try await AgentHTTP.post(
                                url, request, as: CustodianMessages.Share.self, client: http)
                        }
                    }
                }
                try await group.waitForAll()
            }
            return Double(requests.count) / (ContinuousClock.now - start).inSeconds
        }
    }

    /// Seconds per key recovery, each as `dataset get` does it, each checked to give the data key back.
    private func latency(
        dataset: String, objectID: String, dataKey: SymmetricKey, signer: ConsentSigner, api: APIClient
    ) async throws -> [Double] {
        var seconds: [Double] = []
        for _ in 0..<recoveries {
            let start = ContinuousClock.now
            let (release, requesterKey) = try await Self.release(
                dataset: dataset, objectID: objectID, signer: signer, api: api)
            let authority = try await api.authority(matching: release.caCertificate)
            let (recovered, _) = try await ObjectClient.withClient(
                trusting: authority, peers: try release.custodians.map { try $0.peer() }
            ) { client in
                try await CustodyClient.recover(
                    release, objectID: objectID, requesterKey: requesterKey, client: client)
            }
            seconds.append((ContinuousClock.now - start).inSeconds)
            guard recovered == dataKey else { throw ClientError(message: "a recovery gave back another key") }
        }
        return seconds
    }

    private static func release(dataset: String, objectID: String, signer: ConsentSigner, api: APIClient)
        async throws -> (release: KeyRelease, requesterKey: P256.KeyAgreement.PrivateKey)
    {
        let requesterKey = P256.KeyAgreement.PrivateKey()
        let data = try await api.send(
            .POST, APIClient.path("v1", "datasets", dataset, "objects", objectID, "unwrap"),
            body: try signer.body(
                for: UnwrapRequest(
                    datasetID: dataset, objectID: objectID, jurisdiction: try JurisdictionCode("ID"),
                    justification: .ownerAccess),
                requesterKey: requesterKey.publicKey.x963Representation.base64EncodedString()))
        return (try CanonicalJSON.decoder().decode(KeyRelease.self, from: data), requesterKey)
    }

    /// Waits until a custodian in each jurisdiction reports where it serves keys.
    private func waitForCustodians(_ jurisdictions: Set<String>, api: APIClient) async throws {
        for _ in 0..<300 {
            let (listed, _) = try await api.get("/v1/custodians", as: CustodianList.self)
            let reporting = Set(listed.custodians.filter { $0.url != nil }.map(\.jurisdiction.rawValue))
            if reporting.isSuperset(of: jurisdictions) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ClientError(message: "the custodians of \(jurisdictions.sorted()) did not start")
    }

    /// The median of 50 `GET /healthz` round trips on one connection, in seconds.
    private static func roundTrip(api: APIClient) async throws -> Double {
        var seconds: [Double] = []
        for _ in 0..<50 {
            let start = ContinuousClock.now
            _ = try await api.send(.GET, "/healthz")
            seconds.append((ContinuousClock.now - start).inSeconds)
        }
        return seconds.sorted()[seconds.count / 2]
    }

    static func openSSLECDHPerSecond() throws -> Double {
        let report = try ExternalTool.run("openssl", ["speed", "-seconds", "3", "ecdhp256"])
        // "256 bits ecdh (nistp256)   0.0000s  21633.7"
        guard let line = report.split(separator: "\n").last(where: { $0.contains("ecdh (nistp256)") }),
            let field = line.split(separator: " ").last, let perSecond = Double(field)
        else {
            throw ClientError(message: "unexpected openssl speed output:\n\(report)")
        }
        return perSecond
    }
}
