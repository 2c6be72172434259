import Crypto
import DaulatControlPlane
import DaulatCore
import DaulatExampleConfig
import DaulatPKI
import DaulatStore
import DaulatTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Prometheus
import Synchronization
import Testing

/// A live control plane on a fresh database seeded with the example alliance, with a client that
/// speaks JSON and an admin token.
struct APIHarness: Sendable {
    let client: any TestClientProtocol
    let store: any DaulatStore
    let adminToken: String
    /// The key sealing the certificate authority, as the server was configured.
    let sealingKey: CertificateAuthorityKey
    /// The states' keys; their charter is established before the first request.
    let states: TestStates
    private let agentListenerPort: PortBox

    /// The port of the agent listener (mutual TLS), once it is listening.
    func agentPort() async -> Int { await agentListenerPort.value() }

    struct Reply: Sendable {
        let status: Int
        let body: Data

        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
        var errorMessage: String? { (json["error"] as? [String: Any])?["message"] as? String }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try CanonicalJSON.decoder().decode(T.self, from: body) }
    }

    static func run(_ kind: StoreKind, _ body: @Sendable (APIHarness) async throws -> Void) async throws {
        try await TestDatabase.withStore(kind) { store in
            try await run(store: store, body)
        }
    }

    static func run<Store: DaulatStore>(store: Store, _ body: @Sendable (APIHarness) async throws -> Void) async throws
    {
        let definition = try AllianceDefinitionFile.load(ExampleConfig.allianceFile)
        try await AllianceSeeder.addMissing(to: store, from: definition, actor: "system:test")
        let admin = try #require(try await TokenIssuer.bootstrapAdmin(store: store))
        let states = try TestStates.example()
        _ = try await store.establishAllianceCharter(try states.charterText, at: Date(), actor: "system:test")
        try await store.signDraftAgreements(
            Set(definition.agreements.filter { $0.status == .inForce }.map(\.id)), by: states.authorities,
            under: try states.charter.verified(), actor: "system:test")
        try await store.signJurisdictionRecords(by: states.authorities, at: Date(), actor: "system:test")
        try await store.signAllianceRules(
            by: states.authorities, under: try states.charter.verified(), at: Date(), actor: "system:test")
        var logger = Logger(label: "daulat.test")
        logger.logLevel = .error
        let sealingKey = CertificateAuthorityKey.generate().key
        let agentPort = PortBox()
        let app = ControlPlaneApplication.build(
            store: store,
            settings: .init(
                host: "127.0.0.1", port: 0, reconcileInterval: .seconds(60),
                agents: .init(
                    listener: .init(host: "127.0.0.1", port: 0, names: ["127.0.0.1", "localhost"]),
                    sealingKey: sealingKey, trustDomain: "alliance.test", certificateLifetime: 3_600
                )
            ),
            registry: PrometheusCollectorRegistry(),
            logger: logger,
            onAgentListenerRunning: { port in agentPort.set(port) }
        )
        try await app.test(.live) { client in
            try await body(
                APIHarness(
                    client: client, store: store, adminToken: admin, sealingKey: sealingKey, states: states,
                    agentListenerPort: agentPort))
        }
    }

    /// Sends a request; `json` is sent verbatim so tests can send malformed bodies.
    @discardableResult
    func send(
        _ method: HTTPRequest.Method,
        _ path: String,
        token: String? = nil,
        json: String? = nil,
        headers: [String: String] = [:]
    ) async throws -> Reply {
        var fields = HTTPFields()
        if let token { fields[.authorization] = "Bearer \(token)" }
        if json != nil { fields[.contentType] = "application/json" }
        for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
        return try await client.execute(
            uri: path, method: method, headers: fields, body: json.map { ByteBuffer(string: $0) }
        ) { response in
            Reply(status: Int(response.status.code), body: Data(buffer: response.body))
        }
    }

    func admin(_ method: HTTPRequest.Method, _ path: String, json: String? = nil, headers: [String: String] = [:])
        async throws -> Reply
    {
        try await send(method, path, token: adminToken, json: json, headers: headers)
    }

    /// `party`'s authority suspends, resumes or terminates `agreement`, the act handed in by the operator.
    @discardableResult
    func act(_ action: AgreementAction, _ agreement: String, by party: String, at time: Date = Date()) async throws
        -> Reply
    {
        try await admin(
            .post, "/v1/agreements/\(agreement)/acts", json: try await actBody(action, agreement, by: party, at: time))
    }

    /// `party`'s authority signs the current terms of `agreement`, handed in by the operator.
    @discardableResult
    func sign(_ agreement: String, by party: String) async throws -> Reply {
        let current = try await admin(.get, "/v1/agreements/\(agreement)").decode(Agreement.self)
        let signature = try AgreementSignatures.sign(current.terms, with: try states.authority(party))
        return try await admin(
            .post, "/v1/agreements/\(agreement)/signatures",
            json: try CanonicalJSON.encode(["jurisdiction": party, "signature": signature]))
    }

    /// The states in `signers` (every state of the charter unless told) sign the draft of the alliance's
    /// rules, each signature handed in by the operator; the last reply.
    @discardableResult
    func signRules(by signers: [String]? = nil) async throws -> Reply {
        let draft = try await admin(.get, "/v1/alliance/rules").decode(AllianceRulesView.self).draft
        var last: Reply?
        for (state, key) in states.authorities.sorted(by: { $0.key < $1.key })
        where signers?.contains(state.rawValue) ?? true {
            let signature = try AllianceRulesSignatures.sign(draft, with: key)
            let reply = try await admin(
                .post, "/v1/alliance/rules/signatures",
                json: #"{"jurisdiction":"\#(state)","version":\#(draft.version),"signature":"\#(signature)"}"#)
            #expect(reply.status == 200, "\(state): \(reply.errorMessage ?? "")")
            last = reply
        }
        return try #require(last)
    }

    /// The body of `POST /v1/agreements/{id}/acts`: `party`'s authority's signed act on the current version.
    func actBody(_ action: AgreementAction, _ agreement: String, by party: String, at time: Date = Date()) async throws
        -> String
    {
        let version = try await admin(.get, "/v1/agreements/\(agreement)").json["version"] as? Int ?? 1
        let act = AgreementAct(
            agreement: agreement, version: version, action: action, party: try JurisdictionCode(party),
            at: CanonicalJSON.rounded(time))
        return try CanonicalJSON.encode(["act": try AgreementSignatures.sign(act, with: try states.authority(party))])
    }

    /// Issues a token through the API and returns its secret.
    func issueToken(role: String, agency: String? = nil, jurisdiction: String? = nil) async throws -> String {
        var fields = [#""name": "t-\#(UUID().uuidString.prefix(6).lowercased())""#, #""role": "\#(role)""#]
        if let agency { fields.append(#""agency": "\#(agency)""#) }
        if let jurisdiction { fields.append(#""jurisdiction": "\#(jurisdiction)""#) }
        let reply = try await admin(.post, "/v1/tokens", json: "{\(fields.joined(separator: ","))}")
        #expect(reply.status == 201, "token creation failed: \(String(decoding: reply.body, as: UTF8.self))")
        return try #require(reply.json["secret"] as? String)
    }

    /// The body of an unwrap request for `object` of `dataset`: consent signed by a member of `agency`
    /// that `home`'s authority certified, or for an order (`member: false`) by `home`'s authority.
    func unwrapBody(
        _ dataset: String, object: String, in jurisdiction: String = "ID",
        for justification: Justification = .ownerAccess,
        reference: String? = nil, agency: String = "bps", home: String = "ID", member: Bool = true,
        requesterKey: String = P256.KeyAgreement.PrivateKey().publicKey.x963Representation.base64EncodedString()
    ) throws -> String {
        let request = UnwrapRequest(
            datasetID: dataset, objectID: object, jurisdiction: try JurisdictionCode(jurisdiction),
            justification: justification, reference: reference)
        guard member else {
            let consent = UnwrapConsent.forTest(request, requesterKey: requesterKey, member: nil)
            return try CanonicalJSON.encode(["consent": try consent.signed(with: try states.authority(home))])
        }
        return try states.member(agency, of: home).unwrapBody(request, requesterKey: requesterKey)
    }

    /// Registers a dataset as an operator for `agency` and returns its view.
    @discardableResult
    func register(
        _ name: String,
        agency: String = "bps",
        home: String = "ID",
        classification: String = "restricted",
        policy: String = "{}"
    ) async throws -> DatasetView {
        let reply = try await admin(
            .post, "/v1/datasets",
            json:
                #"{"name":"\#(name)","classification":"\#(classification)","home":"\#(home)","ownerAgency":"\#(agency)","policy":\#(policy)}"#
        )
        #expect(reply.status == 201, "registration failed: \(String(decoding: reply.body, as: UTF8.self))")
        return try reply.decode(DatasetView.self)
    }

    /// Registers object `id` of `dataset` straight in the store, its key wrapped whole to `custodian`:
    /// the control plane cannot open wrapped keys, so a well-formed stand-in serves for unwrap decisions.
    func addObject(_ id: String, of dataset: String, custodian: String = "id-custodian-1", sizeBytes: Int64 = 10)
        async throws
    {
        try await store.addObject(
            StoredObject(
                id: id, datasetID: dataset, sha256: String(repeating: "ab", count: 32), sizeBytes: sizeBytes,
                createdAt: CanonicalJSON.rounded(Date())),
            keys: [
                ObjectKey(
                    custodianID: custodian, keyID: "dk-test", shareIndex: 0, threshold: 1,
                    recipientKeyID: "\(custodian)/\(dataset)/v1",
                    encapsulatedKey: Data([4] + [UInt8](repeating: 7, count: 64)).base64EncodedString(),
                    ciphertext: Data(repeating: 9, count: 48).base64EncodedString())
            ], actor: "test")
    }

    /// Adds an object to `dataset` (see ``addObject(_:of:custodian:sizeBytes:)``) and records a copy of
    /// it on each of `hosts`, as agents reporting them would.
    @discardableResult
    func addObject(_ id: String, of dataset: String, heldOn hosts: [String]) async throws -> StoredObject {
        try await addObject(id, of: dataset)
        let object = try #require(try await store.object(id: id))
        for host in hosts {
            try await store.recordUploadedCopy(
                objectID: object.id, sha256: object.sha256, sizeBytes: object.sizeBytes, hostID: host, at: Date(),
                actor: "test")
        }
        return object
    }

    /// How many datasets and audit entries exist: a fingerprint to show that a refused request changed nothing.
    func stateFingerprint() async throws -> [Int] {
        [
            try await store.datasets(DatasetQuery(limit: 1000)).datasets.count,
            try await store.auditEntries(after: 0, limit: 1000).count,
            try await store.agreements().count,
        ]
    }

    /// Polls until `condition` holds or `seconds` pass.
    func eventually(within seconds: Double = 10, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await condition()
    }
}

/// A port a server reports once it listens, awaited by whoever needs it.
final class PortBox: Sendable {
    private let known = Mutex<Int?>(nil)

    func set(_ port: Int) {
        known.withLock { $0 = port }
    }

    /// The port, waiting up to ten seconds for the server to report it; 0 if it never does.
    func value() async -> Int {
        for _ in 0..<1_000 {
            if let port = known.withLock({ $0 }) { return port }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return 0
    }
}
