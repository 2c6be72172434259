import AsyncHTTPClient
import Crypto
import DaulatAgent
import DaulatCore
import DaulatPKI
import DaulatTestSupport
import Foundation
import NIOCore
import Synchronization
import Testing

/// The stage for an attack: a live control plane on a fresh store (SQLite or PostgreSQL) with the
/// example alliance, and the real agent and custodian processes of the hosts and custodians an attack
/// needs, each with its data in a directory of its own. Attacks act only through the public interfaces
/// (the HTTP API with a token, an agent's object server with a ticket, the agent listener with an
/// enrolled agent's certificate); the store is read to judge the outcome, never to stage it.
struct AttackScene: Sendable {
    let api: APIHarness
    let directory: URL
    private let processes: ProcessList

    /// Where an object goes (or comes from), as `POST /v1/datasets/{id}/objects` and `…/download` say.
    struct Transfer: Decodable, Sendable {
        struct Object: Decodable, Sendable {
            let id: String
            let sha256: String
            let sizeBytes: Int64
            let holders: [String]
        }
        let object: Object
        let host: String
        let peerName: String
        var url: String
        let ticket: String
        let caCertificate: String
    }

    static func run(_ kind: StoreKind, _ body: @Sendable (AttackScene) async throws -> Void) async throws {
        try await APIHarness.run(kind) { api in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "daulat-attack-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let processes = ProcessList()
            defer {
                DaulatProcess.stop(processes.all)
                try? FileManager.default.removeItem(at: directory)
            }
            try await body(AttackScene(api: api, directory: directory, processes: processes))
        }
    }

    var serverURL: String { "http://127.0.0.1:\(api.client.port ?? 0)" }

    func agentListenerURL() async -> String { "https://127.0.0.1:\(await api.agentPort())" }

    /// Starts the real agent of `host`, enrolled with a fresh join token, and waits until the control
    /// plane knows where it serves objects.
    @discardableResult
    func startAgent(_ host: String, extraArguments: [String] = []) async throws -> DaulatProcess {
        let token = try await joinToken(#""host":"\#(host)""#)
        let agent = try DaulatProcess(
            [
                "agent", "--server", serverURL, "--agent-server", await agentListenerURL(), "--join-token", token,
                "--data-dir", agentDirectory(host).path, "--heartbeat-interval", "1", "--charter", try charterFile(),
            ] + extraArguments)
        processes.add(agent)
        _ = try await agent.waitForOutput(containing: "serving objects")
        let reporting = try await api.eventually {
            try await api.store.heartbeats().contains { $0.hostID == host && $0.dataURL != nil }
        }
        guard reporting else { throw DaulatProcessError(message: "agent \(host) never said where it serves objects") }
        return agent
    }

    /// Starts the real custodian `id`, enrolled with a fresh join token, waits for its heartbeat, and
    /// has its state sign in the identity key it reported.
    @discardableResult
    func startCustodian(_ id: String) async throws -> DaulatProcess {
        let keyFile = directory.appendingPathComponent("\(id).keystore-key")
        let key = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        guard
            FileManager.default.createFile(
                atPath: keyFile.path, contents: Data(key.utf8), attributes: [.posixPermissions: 0o600])
        else { throw DaulatProcessError(message: "cannot write \(keyFile.path)") }
        let token = try await joinToken(#""custodian":"\#(id)""#)
        let custodian = try DaulatProcess([
            "custodian", "--server", serverURL, "--agent-server", await agentListenerURL(), "--join-token", token,
            "--data-dir", directory.appendingPathComponent(id).path, "--keystore-key-file", keyFile.path,
            "--heartbeat-interval", "1", "--charter", try charterFile(),
        ])
        processes.add(custodian)
        _ = try await custodian.waitForOutput(containing: "serving keys")
        let reporting = try await api.eventually {
            try await api.store.custodianHeartbeats().contains { $0.custodianID == id }
        }
        guard reporting else { throw DaulatProcessError(message: "custodian \(id) never reported") }
        try await signIn(custodian: id)
        return custodian
    }

    /// The custodian's state signs in the identity key it reported: the record the state signed last,
    /// with only that key added, at the next version, handed in through the API.
    private func signIn(custodian id: String) async throws {
        guard let custodian = try await api.store.custodians().first(where: { $0.id == id }),
            let key = custodian.identityKey,
            let text = try await api.store.jurisdictionRecords()[custodian.jurisdiction],
            var record = JurisdictionRecordSignatures.claimed(text)
        else { throw DaulatProcessError(message: "custodian \(id) reported no identity key, or its state no record") }
        record.version += 1
        record.custodianKeys[id] = key
        record.issuedAt = CanonicalJSON.rounded(Date())
        let signed = try JurisdictionRecordSignatures.sign(
            record, with: try api.states.authority(custodian.jurisdiction.rawValue))
        let handedIn = try await api.admin(
            .post, "/v1/jurisdictions/\(custodian.jurisdiction)/record",
            json: try CanonicalJSON.encode(["record": signed]))
        guard handedIn.status == 200 else {
            throw DaulatProcessError(message: "the record pinning \(id)'s key was refused: \(handedIn.body)")
        }
    }

    func agentDirectory(_ host: String) -> URL { directory.appendingPathComponent("agent-\(host)") }

    /// The charter the harness established, written where agents and custodians read it: the one each
    /// state would have given its hosts.
    func charterFile() throws -> String {
        let charter = directory.appendingPathComponent("charter.json")
        try Data((try api.states.charterText + "\n").utf8).write(to: charter)
        return charter.path
    }

    private func joinToken(_ subject: String) async throws -> String {
        let reply = try await api.admin(.post, "/v1/join-tokens", json: #"{\#(subject),"ttlSeconds":600}"#)
        guard reply.status == 201, let token = reply.json["token"] as? String else {
            throw DaulatProcessError(message: "no join token: \(String(decoding: reply.body, as: UTF8.self))")
        }
        return token
    }

    /// Registers a dataset as the owner `token` speaks for; its id and the hosts it is placed on.
    func register(
        _ name: String, token: String, classification: String, home: String = "ID", policy: String = "{}"
    ) async throws -> (id: String, placed: [String]) {
        let reply = try await api.send(
            .post, "/v1/datasets", token: token,
            json: #"{"name":"\#(name)","classification":"\#(classification)","home":"\#(home)","policy":\#(policy)}"#)
        guard reply.status == 201,
            let id = (reply.json["dataset"] as? [String: Any])?["id"] as? String,
            let choices = (reply.json["placement"] as? [String: Any])?["choices"] as? [[String: Any]]
        else {
            throw DaulatProcessError(message: "registration failed: \(String(decoding: reply.body, as: UTF8.self))")
        }
        return (id, choices.compactMap { $0["hostID"] as? String })
    }

    /// The scene most attacks start from: an owner token of `bps`, Indonesia's custodian running, and a
    /// `restricted` census dataset that may be stored in `storage` (Indonesia only unless told), with
    /// `replicas` copies.
    func indonesianCensus(replicas: Int = 1, storage: [String] = ["ID"]) async throws -> (
        owner: String, id: String, placed: [String]
    ) {
        let owner = try await api.issueToken(role: "owner", agency: "bps")
        try await startCustodian("id-custodian-1")
        let places = storage.map { #""\#($0)""# }.joined(separator: ",")
        let census = try await register(
            "census", token: owner, classification: "restricted",
            policy: #"{"replicas":\#(replicas),"storage":[\#(places)]}"#)
        return (owner, census.id, census.placed)
    }

    /// An Indonesian census (`restricted`, four copies, Indonesia and Malaysia only) once something in
    /// the operator's database has let Malaysia in: three Indonesian hosts and one Malaysian are chosen.
    /// The Indonesian agents run and hold a first object; the Malaysian host's agent is not started.
    func censusReachingMalaysia() async throws -> (
        owner: String, id: String, malaysian: String, first: [UInt8]
    ) {
        let (owner, id, placed) = try await indonesianCensus(replicas: 4, storage: ["ID", "MY"])
        let malaysian = try #require(placed.first { $0.hasPrefix("my-") }, "placed on \(placed)")
        for host in placed where host != malaysian { try await startAgent(host) }
        let first = (0..<4096).map { _ in UInt8.random(in: 0...255) }
        #expect(try await put(first, dataset: id, token: owner).status == 201)
        return (owner, id, malaysian, first)
    }

    /// Registers an object of `sha256` and `size` in `dataset` as `token`, its data key "wrapped" to the
    /// Indonesian custodian: the control plane cannot open wrapped keys, so any well-formed wrapping
    /// registers an object (an attacker needs nothing more). The reply names the agent to upload to.
    func registerObject(dataset: String, sha256: String, size: Int, token: String) async throws -> APIHarness.Reply {
        let objectID = "obj-" + Hex.encode(Data((0..<10).map { _ in UInt8.random(in: 0...255) }))
        let key = CustodyInputTests.key(recipient: "id-custodian-1/\(dataset)/v1")
        return try await api.send(
            .post, "/v1/datasets/\(dataset)/objects", token: token,
            json: #"{"id":"\#(objectID)","sha256":"\#(sha256)","sizeBytes":\#(size),"keys":[\#(key)]}"#)
    }

    /// Registers `bytes` as an object of `dataset` and uploads them to the agent the control plane
    /// names, as a data owner's `daulat dataset put` does; the transfer and the upload's status.
    func put(_ bytes: [UInt8], dataset: String, token: String) async throws -> (transfer: Transfer, status: Int) {
        let reply = try await registerObject(
            dataset: dataset, sha256: Hex.encode(SHA256.hash(data: bytes)), size: bytes.count, token: token)
        guard reply.status == 201 else {
            throw DaulatProcessError(
                message: "object registration failed: \(String(decoding: reply.body, as: UTF8.self))")
        }
        let transfer = try reply.decode(Transfer.self)
        return (
            transfer,
            try await upload(bytes, with: transfer).status
        )
    }

    /// Sends `bytes` to the agent `transfer` names, with its ticket; the status and error code.
    func upload(_ bytes: [UInt8], with transfer: Transfer) async throws -> (status: Int, code: String?) {
        let agent = try PeerAddress.host(transfer.host, named: transfer.peerName, url: transfer.url)
        var request = HTTPClientRequest(url: agent.url())
        request.method = .PUT
        request.headers.add(name: "Authorization", value: "Ticket \(transfer.ticket)")
        request.body = .bytes(ByteBuffer(bytes: bytes))
        return try await ObjectClient.withClient(trusting: transfer.caCertificate, peers: [agent]) { client in
            let response = try await client.execute(request, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 1 << 20)
            let json = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
            return (Int(response.status.code), (json?["error"] as? [String: Any])?["code"] as? String)
        }
    }

    /// Fetches an object from the agent `transfer` names, with its ticket: the status and the bytes.
    func download(with transfer: Transfer) async throws -> (status: Int, bytes: [UInt8]) {
        let agent = try PeerAddress.host(transfer.host, named: transfer.peerName, url: transfer.url)
        var request = HTTPClientRequest(url: agent.url())
        request.headers.add(name: "Authorization", value: "Ticket \(transfer.ticket)")
        return try await ObjectClient.withClient(trusting: transfer.caCertificate, peers: [agent]) { client in
            let response = try await client.execute(request, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 64 << 20)
            return (Int(response.status.code), Array(buffer: body))
        }
    }

    /// The hosts among `hosts` whose agent keeps, anywhere in its data directory, a file with exactly
    /// these bytes: judged by content, whatever the agent's layout.
    func hostsHolding(_ bytes: [UInt8], among hosts: [String]) -> Set<String> {
        let sha256 = Hex.encode(SHA256.hash(data: bytes))
        return Set(
            hosts.filter { host in
                let files = FileManager.default.enumerator(
                    at: agentDirectory(host), includingPropertiesForKeys: [.fileSizeKey, .isRegularFileKey])
                while let file = files?.nextObject() as? URL {
                    guard let values = try? file.resourceValues(forKeys: [.fileSizeKey, .isRegularFileKey]),
                        values.isRegularFile == true, values.fileSize == bytes.count,
                        let contents = try? Data(contentsOf: file)
                    else { continue }
                    if Hex.encode(SHA256.hash(data: contents)) == sha256 { return true }
                }
                return false
            })
    }

    /// The processes a scene started, stopped when it ends.
    final class ProcessList: Sendable {
        private let processes = Mutex<[DaulatProcess]>([])

        func add(_ process: DaulatProcess) { processes.withLock { $0.append(process) } }
        var all: [DaulatProcess] { processes.withLock { $0 } }
    }
}
