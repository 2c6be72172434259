import AsyncHTTPClient
import Crypto
import DaulatAgent
import DaulatControlPlane
import DaulatCore
import DaulatPKI
import DaulatStore
import DaulatTestSupport
import Foundation
import NIOSSL
import Testing
import X509

/// Agents enrol with one-time join tokens and talk to the control plane over mutual TLS; every kind of
/// token or certificate misuse is refused.
@Suite("Agent enrolment and the mutual-TLS listener")
struct AgentEnrolmentTests {
    static let host = "id-jkt-1-a"
    static let identity = "spiffe://alliance.test/site/id-jkt-1/host/id-jkt-1-a"

    func joinToken(_ api: APIHarness, host: String = host, ttl: Int = 600) async throws -> String {
        let reply = try await api.admin(.post, "/v1/join-tokens", json: #"{"host":"\#(host)","ttlSeconds":\#(ttl)}"#)
        #expect(reply.status == 201, "\(String(decoding: reply.body, as: UTF8.self))")
        #expect(reply.json["host"] as? String == host && reply.json["custodian"] == nil)
        return try #require(reply.json["token"] as? String)
    }

    func serverURL(_ api: APIHarness) throws -> String { "http://127.0.0.1:\(try #require(api.client.port))" }

    func enrol(_ api: APIHarness, token: String) async throws -> AgentCredentials {
        try await AgentEnrolment.enrol(serverURL: try serverURL(api), joinToken: token)
    }

    func enrolment(_ api: APIHarness, token: String, csr: String) async throws -> APIHarness.Reply {
        let body = try String(
            decoding: CanonicalJSON.encoder().encode(AgentMessages.Enrolment(joinToken: token, csr: csr)), as: UTF8.self
        )
        return try await api.send(.post, "/v1/agents/enrol", json: body)
    }

    func connection(_ api: APIHarness, _ credentials: AgentCredentials) async throws -> AgentConnection {
        try AgentConnection(credentials: credentials, listenerURL: "https://127.0.0.1:\(await api.agentPort())")
    }

    /// A heartbeat over a client with the given TLS settings; the error if it fails.
    func heartbeat(_ api: APIHarness, tls: TLSConfiguration, scheme: String = "https") async throws -> (any Error)? {
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        let failure = await heartbeat(api, client: client, scheme: scheme)
        try? await client.shutdown()
        return failure
    }

    private func heartbeat(_ api: APIHarness, client: HTTPClient, scheme: String) async -> (any Error)? {
        var request = HTTPClientRequest(url: "\(scheme)://127.0.0.1:\(await api.agentPort())/agent/v1/heartbeat")
        request.method = .POST
        request.body = .bytes(.init(string: #"{"capacityBytes":100,"freeBytes":50}"#))
        do {
            let response = try await client.execute(request, timeout: .seconds(10))
            return response.status == .ok
                ? nil : AgentError(status: Int(response.status.code), message: "HTTP \(response.status.code)")
        } catch {
            return error
        }
    }

    /// Refused during the TLS handshake, before any HTTP exchange.
    func refusedAtHandshake(_ failure: (any Error)?) -> Bool {
        failure != nil && !(failure is AgentError)
    }

    func clientTLS(authority: String, certificate: Certificate?, key: P256.Signing.PrivateKey?) throws
        -> TLSConfiguration
    {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(authority.utf8), format: .pem)])
        if let certificate, let key {
            tls.certificateChain = [
                .certificate(
                    try NIOSSLCertificate(bytes: Array(try certificate.serializeAsPEM().pemString.utf8), format: .pem))
            ]
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(key.pemRepresentation.utf8), format: .pem))
        }
        return tls
    }

    @Test("an agent enrols with its join token, reports over mutual TLS and renews its certificate")
    func enrolReportRenew() async throws {
        try await APIHarness.run(.sqlite) { api in
            let credentials = try await enrol(api, token: try await joinToken(api))
            #expect(credentials.identity?.uri == Self.identity)
            let authority = try Certificate(pemEncoded: credentials.authorityPEM)
            #expect(
                authority.publicKey.isValidSignature(credentials.certificate.signature, for: credentials.certificate))

            let connection = try await connection(api, credentials)
            defer { Task { await connection.shutdown() } }
            let receipt = try await connection.heartbeat(AgentMessages.Heartbeat(capacityBytes: 1_000, freeBytes: 400))
            #expect(receipt.identity == Self.identity)
            #expect(try await api.store.heartbeats().map(\.hostID) == [Self.host])
            #expect(try await api.store.heartbeats().first?.freeBytes == 400)

            let renewed = try await connection.renew()
            #expect(renewed.identity?.uri == Self.identity)
            #expect(
                CertificateAuthority.serial(of: renewed.certificate)
                    != CertificateAuthority.serial(of: credentials.certificate))
            #expect(
                try await api.store.certificate(serial: CertificateAuthority.serial(of: renewed.certificate))?
                    .subject == .host(Self.host))
            let second = try await self.connection(api, renewed)
            defer { Task { await second.shutdown() } }
            _ = try await second.heartbeat(AgentMessages.Heartbeat(capacityBytes: 1_000, freeBytes: 300))

            let actions = try await api.store.auditEntries(after: 0, limit: 1000).map(\.action)
            #expect(
                actions.contains("join_token.created") && actions.contains("host.enrolled")
                    && actions.contains("host.certificate_renewed"))
        }
    }

    @Test(
        "reused, expired, unknown and malformed join tokens are refused with their codes", arguments: StoreKind.allCases
    )
    func badJoinTokens(kind: StoreKind) async throws {
        try await APIHarness.run(kind) { api in
            let token = try await joinToken(api)
            _ = try await enrol(api, token: token)
            let csr = try CertificateRequest.pem(signedBy: P256.Signing.PrivateKey())

            let reused = try await enrolment(api, token: token, csr: csr)
            #expect(reused.status == 401 && reused.errorCode == "join_token_used")

            let expiring = try await joinToken(api, ttl: 1)
            try await Task.sleep(for: .milliseconds(1_200))
            let expired = try await enrolment(api, token: expiring, csr: csr)
            #expect(expired.status == 401 && expired.errorCode == "join_token_expired")

            for unknown in [
                TokenSecret.generate(prefix: TokenSecret.joinPrefix), "djt_short", "", TokenSecret.generate(),
            ] {
                let reply = try await enrolment(api, token: unknown, csr: csr)
                #expect(reply.status == 401 && reply.errorCode == "join_token_unknown", "\(unknown)")
            }
            #expect(try await api.store.heartbeats().isEmpty)
            let certificates = try await api.store.auditEntries(after: 0, limit: 1000).filter {
                $0.action == "host.enrolled"
            }
            #expect(certificates.count == 1, "only the one good enrolment issued a certificate")
        }
    }

    @Test("join tokens are for operators and for hosts that exist")
    func joinTokenRequests() async throws {
        try await APIHarness.run(.sqlite) { api in
            let unknownHost = try await api.admin(.post, "/v1/join-tokens", json: #"{"host":"no-such-host"}"#)
            #expect(unknownHost.status == 404 && unknownHost.errorCode == "not_found")
            for (body, code) in [
                (#"{"host":"id-jkt-1-a","ttlSeconds":0}"#, "invalid_field"),
                (#"{"host":"id-jkt-1-a","ttlSeconds":999999999}"#, "invalid_field"),
                (#"{"host":"id-jkt-1-a","site":"x"}"#, "unknown_field"), (#"{"host":5}"#, "invalid_field"),
                ("{", "malformed_json"),
            ] {
                let reply = try await api.admin(.post, "/v1/join-tokens", json: body)
                #expect(reply.status == 400 && reply.errorCode == code, "\(body): \(reply.errorCode ?? "-")")
            }
            let owner = try await api.issueToken(role: "owner", agency: "bps")
            let refused = try await api.send(.post, "/v1/join-tokens", token: owner, json: #"{"host":"id-jkt-1-a"}"#)
            #expect(refused.status == 403)
            let revokeByOwner = try await api.send(.post, "/v1/hosts/id-jkt-1-a/revoke", token: owner)
            #expect(revokeByOwner.status == 403)
            #expect(try await api.admin(.post, "/v1/hosts/no-such-host/revoke").status == 404)
        }
    }

    @Test("a signing request naming another site, or not signed by its key, is refused and burns no token")
    func badRequests() async throws {
        try await APIHarness.run(.sqlite) { api in
            let token = try await joinToken(api)
            let key = P256.Signing.PrivateKey()
            let elsewhere = try CertificateSigningRequest(
                version: .v1, subject: try DistinguishedName { CommonName("sg-sin-1-a") },
                privateKey: Certificate.PrivateKey(key),
                attributes: CertificateSigningRequest.Attributes(), signatureAlgorithm: .ecdsaWithSHA256
            )
            let namesAnother = try await enrolment(api, token: token, csr: try elsewhere.serializeAsPEM().pemString)
            #expect(namesAnother.status == 403 && namesAnother.errorCode == "csr_identity_mismatch")
            let genuine = try CertificateSigningRequest(pemEncoded: try CertificateRequest.pem(signedBy: key))
            let forged = try CertificateSigningRequest(
                version: .v1, subject: genuine.subject,
                publicKey: Certificate.PrivateKey(P256.Signing.PrivateKey()).publicKey,
                attributes: genuine.attributes, signatureAlgorithm: genuine.signatureAlgorithm,
                signature: genuine.signature
            )
            let unsigned = try await enrolment(api, token: token, csr: try forged.serializeAsPEM().pemString)
            #expect(unsigned.status == 400 && unsigned.errorCode == "csr_signature_invalid")
            let garbage = try await enrolment(
                api, token: token, csr: "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----")
            #expect(garbage.status == 400 && garbage.errorCode == "malformed_csr")
            let unknownField = try await api.send(
                .post, "/v1/agents/enrol", json: #"{"joinToken":"x","csr":"y","host":"z"}"#)
            #expect(unknownField.status == 400 && unknownField.errorCode == "unknown_field")
            // None of that used the token up.
            #expect(try await enrol(api, token: token).identity?.uri == Self.identity)
        }
    }

    @Test(
        "the agent listener refuses no certificate, another CA's, an expired, an unrecorded or a revoked one, and plain HTTP"
    )
    func listenerRefusals() async throws {
        try await APIHarness.run(.sqlite) { api in
            let credentials = try await enrol(api, token: try await joinToken(api))
            let authorityPEM = credentials.authorityPEM
            let good = try clientTLS(
                authority: authorityPEM, certificate: credentials.certificate, key: credentials.privateKey)
            #expect(try await heartbeat(api, tls: good) == nil)

            #expect(
                refusedAtHandshake(
                    try await heartbeat(api, tls: try clientTLS(authority: authorityPEM, certificate: nil, key: nil))),
                "no certificate")
            #expect(refusedAtHandshake(try await heartbeat(api, tls: good, scheme: "http")), "plain HTTP")

            let key = P256.Signing.PrivateKey()
            let request = try CertificateSigningRequest(pemEncoded: try CertificateRequest.pem(signedBy: key))
            let identity = try #require(credentials.identity)
            let stranger = try CertificateAuthority.create(trustDomain: "alliance.test")
            let foreign = try stranger.issueCertificate(for: request, identity: identity, lifetime: 600)
            #expect(
                refusedAtHandshake(
                    try await heartbeat(
                        api, tls: try clientTLS(authority: authorityPEM, certificate: foreign, key: key))), "another CA"
            )

            let authority = try await CertificateAuthority.loadOrCreate(
                from: api.store, sealingKey: api.sealingKey, trustDomain: "alliance.test")
            let expired = try authority.issueCertificate(
                for: request, identity: identity, lifetime: 600, now: Date().addingTimeInterval(-3_600))
            try await api.store.addCertificate(
                EnrolledCertificate(
                    serial: CertificateAuthority.serial(of: expired), subject: .host(identity.hostID), issuedAt: Date(),
                    notAfter: expired.notValidAfter),
                actor: "test"
            )
            #expect(
                refusedAtHandshake(
                    try await heartbeat(
                        api, tls: try clientTLS(authority: authorityPEM, certificate: expired, key: key))), "expired")

            let unrecorded = try authority.issueCertificate(for: request, identity: identity, lifetime: 600)
            let unknown = try await heartbeat(
                api, tls: try clientTLS(authority: authorityPEM, certificate: unrecorded, key: key))
            #expect((unknown as? AgentError)?.status == 403, "a certificate the control plane has no record of")

            let connection = try await connection(api, credentials)
            defer { Task { await connection.shutdown() } }
            _ = try await connection.heartbeat(AgentMessages.Heartbeat(capacityBytes: 10, freeBytes: 5))
            let revoked = try await api.admin(.post, "/v1/hosts/\(Self.host)/revoke")
            #expect(revoked.status == 200 && revoked.json["revokedCertificates"] as? Int == 2)
            // The same open connection is refused from its next request on.
            await #expect(throws: AgentError.self) {
                _ = try await connection.heartbeat(AgentMessages.Heartbeat(capacityBytes: 10, freeBytes: 5))
            }
            do {
                _ = try await connection.heartbeat(AgentMessages.Heartbeat(capacityBytes: 10, freeBytes: 5))
            } catch let error as AgentError {
                #expect(error.status == 403 && error.code == "certificate_revoked")
            }
            await #expect(throws: AgentError.self) { _ = try await connection.renew() }
            // A new join token brings the host back.
            #expect(try await enrol(api, token: try await joinToken(api)).identity?.uri == Self.identity)
        }
    }

    @Test("heartbeats with impossible figures are refused")
    func badHeartbeats() async throws {
        try await APIHarness.run(.sqlite) { api in
            let credentials = try await enrol(api, token: try await joinToken(api))
            let connection = try await connection(api, credentials)
            defer { Task { await connection.shutdown() } }
            for (capacity, free) in [(100, 101), (-1, 0), (100, -5)] {
                do {
                    _ = try await connection.heartbeat(
                        AgentMessages.Heartbeat(capacityBytes: Int64(capacity), freeBytes: Int64(free)))
                    Issue.record("accepted capacity \(capacity), free \(free)")
                } catch let error as AgentError {
                    #expect(error.status == 400 && error.code == "invalid_field")
                }
            }
            #expect(try await api.store.heartbeats().isEmpty)
        }
    }

    @Test(
        "an inventory naming anything but object ids (and hashes of blobs kept by hash) is refused and changes nothing")
    func badInventory() async throws {
        try await APIHarness.run(.sqlite) { api in
            let credentials = try await enrol(api, token: try await joinToken(api))
            let connection = try await connection(api, credentials)
            defer { Task { await connection.shutdown() } }
            let before = try await api.store.auditEntries(after: 0, limit: 1000).count
            for inventory in [
                AgentMessages.Inventory(objects: ["../../etc/passwd"]),
                AgentMessages.Inventory(objects: [String(repeating: "a", count: 64)]),
                AgentMessages.Inventory(objects: [], corrupt: ["abc"]),
                AgentMessages.Inventory(objects: [], legacy: ["obj-00000000000000000001"]),
                AgentMessages.Inventory(objects: [], legacy: [String(repeating: "A", count: 64)]),
            ] {
                do {
                    _ = try await connection.inventory(inventory)
                    Issue.record("accepted \(inventory)")
                } catch let error as AgentError {
                    #expect(error.status == 400 && error.code == "invalid_field")
                }
            }
            #expect(try await api.store.auditEntries(after: 0, limit: 1000).count == before)
            #expect(try await api.store.flaggedBlobs().isEmpty)
            // A well-formed one with an object id no object has is accepted, and the copy flagged.
            let stray = "obj-abababababababababab"
            let receipt = try await connection.inventory(AgentMessages.Inventory(objects: [stray]))
            #expect(receipt == AgentMessages.InventoryReceipt(lost: [], unknown: [stray]))
            #expect(try await api.store.flaggedBlobs().map(\.blob) == [stray])
        }
    }

    @Test(
        "a release the set offered is a release; one it did not (placement changed, an agent on its own) is a lost copy, made again"
    )
    func releasesOnlyWhenOffered() async throws {
        try await APIHarness.run(.sqlite) { api in
            let dataset = try await api.register("census")
            let placed = try #require(dataset.placement).choices.map(\.hostID)
            #expect(placed.count >= 2)
            let host = try #require(placed.first)
            let connection = try await connection(
                api, try await enrol(api, token: try await joinToken(api, host: host)))
            defer { Task { await connection.shutdown() } }
            let sha256 = String(repeating: "cd", count: 32)
            for id in ["obj-kept", "obj-moved"] {
                try await api.store.addObject(
                    StoredObject(
                        id: id, datasetID: dataset.dataset.id, sha256: sha256, sizeBytes: 10,
                        createdAt: CanonicalJSON.rounded(Date())),
                    keys: [], actor: "operator:test")
                try await api.store.recordUploadedCopy(
                    objectID: id, sha256: sha256, sizeBytes: 10, hostID: host, at: Date(), actor: "agent:\(host)")
            }
            let holders = { (object: String) in try await api.store.object(id: object)?.holders ?? [] }
            let lastCopyEvent = { (object: String) async throws -> AuditEntry? in
                try await api.store.auditEntries(after: 0, limit: 1_000).last {
                    $0.action.hasPrefix("object.copy_") && $0.action != "object.copy_stored"
                        && $0.before?.contains(object) == true
                }
            }

            // Still placed here: the agent deleted it on its own. The record goes, as a loss.
            try await connection.released(AgentMessages.Release(objectID: "obj-kept"))
            #expect(try await holders("obj-kept").isEmpty)
            let lost = try #require(try await lastCopyEvent("obj-kept"))
            #expect(lost.action == "object.copy_lost" && lost.after?.contains("without an offer") == true)
            do {
                try await connection.released(AgentMessages.Release(objectID: "obj-no-such"))
                Issue.record("a release of an unknown object was accepted")
            } catch let error as AgentError {
                #expect(error.status == 404)
            }

            // The host drained and every new place holds a copy: now the release is offered, and recorded.
            var drained = try #require(try await api.store.topology().hosts.first { $0.id == host })
            drained.status = .draining
            let put = try await api.admin(
                .put, "/v1/hosts/\(host)", json: String(decoding: try CanonicalJSON.encode(drained).utf8, as: UTF8.self)
            )
            #expect(put.status == 200)
            var newPlaces: [String] = []
            #expect(
                try await api.eventually {
                    newPlaces =
                        try await api.store.placement(datasetID: dataset.dataset.id)?.choices.map(\.hostID) ?? []
                    return !newPlaces.isEmpty && !newPlaces.contains(host)
                })
            for place in newPlaces {
                try await api.store.recordUploadedCopy(
                    objectID: "obj-moved", sha256: sha256, sizeBytes: 10, hostID: place, at: Date(),
                    actor: "agent:\(place)")
            }
            try await connection.released(AgentMessages.Release(objectID: "obj-moved"))
            #expect(try await Set(holders("obj-moved")) == Set(newPlaces))
            #expect(try await lastCopyEvent("obj-moved")?.action == "object.copy_released")
            try await connection.released(AgentMessages.Release(objectID: "obj-moved"))

            // An operator cannot mark a host silent: that is the heartbeat watch's.
            var silenced = drained
            silenced.status = .silent
            let refused = try await api.admin(
                .put, "/v1/hosts/\(host)",
                json: String(decoding: try CanonicalJSON.encode(silenced).utf8, as: UTF8.self))
            #expect(refused.status == 400 && refused.errorCode == "invalid_field")
        }
    }
}
