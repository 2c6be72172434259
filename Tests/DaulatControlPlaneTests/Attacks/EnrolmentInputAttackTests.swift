import Crypto
import DaulatAgent
import DaulatCore
import DaulatPKI
import DaulatTestSupport
import Foundation
import HTTPTypes
import SwiftASN1
import Testing
import X509

extension Attacks {
    /// One agent host with its own join token, or anyone who can reach the API, at the unauthenticated
    /// enrolment routes: a signing request asking for another host's peer name (or a wildcard over every
    /// host), another host's identity, junk and oversized bodies, NUL bytes.
    @Suite("Attack: bad input and borrowed names at enrolment")
    struct EnrolmentInputAttackTests {
        /// A signing request by a fresh key, with `commonName` and `names` (as subject alternative names)
        /// asked for.
        static func request(commonName: String? = nil, names: [GeneralName] = []) throws -> String {
            let key = P256.Signing.PrivateKey()
            var attributes = CertificateSigningRequest.Attributes()
            if !names.isEmpty {
                attributes.insert(
                    try .init(
                        ExtensionRequest(extensions: try Certificate.Extensions { SubjectAlternativeNames(names) })))
            }
            let subject =
                try commonName.map { name in try DistinguishedName { CommonName(name) } } ?? DistinguishedName()
            return try CertificateSigningRequest(
                version: .v1, subject: subject, privateKey: .init(key), attributes: attributes,
                signatureAlgorithm: .ecdsaWithSHA256
            ).serializeAsPEM().pemString
        }

        @Test(
            "borrowed names, junk and NUL bytes at /v1/ca and enrolment: 4xx, nothing issued, the token still good",
            arguments: StoreKind.allCases)
        func enrolmentInput(kind: StoreKind) async throws {
            try await AttackScene.run(kind) { scene in
                let api = scene.api
                let issued = try await api.admin(
                    .post, "/v1/join-tokens", json: #"{"host":"id-jkt-1-a","ttlSeconds":600}"#)
                let token = try #require(issued.json["token"] as? String)
                let enrolment = try #require(issued.json["id"] as? String)
                let secret = try #require(JoinTokenText(token)).secret
                let custodianToken = try #require(
                    try await api.admin(
                        .post, "/v1/join-tokens", json: #"{"custodian":"id-custodian-1","ttlSeconds":600}"#
                    ).json["token"] as? String)
                let other = "id-jkt-1-b"
                let borrowed: [(String, String)] = [
                    (
                        "another host's peer name",
                        try Self.request(names: [.dnsName(PeerName.host(other, enrolment: nil))])
                    ),
                    ("a wildcard over every host", try Self.request(names: [.dnsName("*.host.\(PeerName.domain)")])),
                    (
                        "a custodian's peer name",
                        try Self.request(names: [.dnsName(PeerName.custodian("id-custodian-1", enrolment: nil))])
                    ),
                    ("another host's common name", try Self.request(commonName: other)),
                    (
                        "another host's identity",
                        try Self.request(names: [
                            .uniformResourceIdentifier("spiffe://alliance.test/site/id-jkt-1/host/\(other)")
                        ])
                    ),
                    (
                        "an IP address",
                        try Self.request(names: [.ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))])
                    ),
                    ("the API's name", try Self.request(names: [.dnsName("localhost")])),
                ]
                var statuses: [String: Int] = [:]
                for (what, csr) in borrowed {
                    let body = try CanonicalJSON.encode(AgentMessages.Enrolment(joinToken: token, csr: csr))
                    statuses["CSR asking for \(what)"] = try await api.send(.post, "/v1/agents/enrol", json: body)
                        .status
                }
                let good = try Self.request()
                let goodJSON = try CanonicalJSON.encode(good)
                for (what, path, json) in [
                    ("NUL in the token", "/v1/agents/enrol", #"{"joinToken":"djt_\u0000","csr":\#(goodJSON)}"#),
                    (
                        "NUL after the secret", "/v1/agents/enrol",
                        #"{"joinToken":"\#(secret)\u0000","csr":\#(goodJSON)}"#
                    ),
                    (
                        "NUL in the CSR", "/v1/agents/enrol",
                        #"{"joinToken":"\#(token)","csr":"-----BEGIN CERTIFICATE REQUEST-----\u0000"}"#
                    ),
                    (
                        "junk CSR", "/v1/agents/enrol",
                        #"{"joinToken":"\#(token)","csr":"-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n"}"#
                    ),
                    ("empty CSR", "/v1/agents/enrol", #"{"joinToken":"\#(token)","csr":""}"#),
                    (
                        "token with a short fingerprint", "/v1/agents/enrol",
                        #"{"joinToken":"\#(secret).abc","csr":"x"}"#
                    ),
                    (
                        "a megabyte of token", "/v1/agents/enrol",
                        #"{"joinToken":"djt_\#(String(repeating: "a", count: 1 << 20))","csr":"x"}"#
                    ),
                    (
                        "sixteen megabytes of CSR", "/v1/agents/enrol",
                        #"{"joinToken":"\#(token)","csr":"\#(String(repeating: "A", count: 16 << 20))"}"#
                    ),
                    ("not JSON", "/v1/agents/enrol", "\u{0}\u{1}{"),
                    (
                        "an extra field", "/v1/agents/enrol",
                        #"{"joinToken":"\#(token)","csr":\#(goodJSON),"host":"\#(other)"}"#
                    ),
                    ("a number for the token", "/v1/agents/enrol", #"{"joinToken":1e400,"csr":\#(goodJSON)}"#),
                    (
                        "a host's token at the custodian route", "/v1/custodians/enrol",
                        #"{"joinToken":"\#(token)","csr":\#(goodJSON)}"#
                    ),
                    (
                        "a custodian's token at the agent route", "/v1/agents/enrol",
                        #"{"joinToken":"\#(custodianToken)","csr":\#(goodJSON)}"#
                    ),
                ] {
                    statuses[what] = try await api.send(.post, path, json: json).status
                }
                let accepted = statuses.filter { !(400..<500).contains($0.value) }
                #expect(accepted.isEmpty, "not refused with a 4xx: \(accepted)")
                // The public authority with junk around it: answered or refused, never a server error.
                var caStatuses: [String: Int] = [:]
                for (method, path) in [
                    (HTTPRequest.Method.get, "/v1/ca?x=%00"), (.post, "/v1/ca"), (.get, "/v1/ca/%00"),
                    (.get, "/v1/ca/../ca"), (.get, "/v1/ca?" + String(repeating: "a=%00&", count: 2_000)),
                ] {
                    caStatuses["\(method) \(path.prefix(40))"] = try await api.send(method, path).status
                }
                let serverErrors = caStatuses.filter { $0.value >= 500 }
                #expect(serverErrors.isEmpty, "server errors at /v1/ca: \(serverErrors)")
                #expect(try await api.send(.get, "/v1/ca").status == 200)

                // None of that spent the token: it still enrols its own host, with its own name only.
                let enrolled = try await AgentEnrolment.enrol(serverURL: scene.serverURL, joinToken: token)
                #expect(enrolled.identity?.hostID == "id-jkt-1-a")
                #expect(
                    CertificateAuthority.dnsNames(of: enrolled.certificate)
                        == [PeerName.host("id-jkt-1-a", enrolment: enrolment)])
            }
        }
    }
}
