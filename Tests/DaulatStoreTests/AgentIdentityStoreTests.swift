import DaulatControlPlane
import DaulatCore
import DaulatExampleConfig
import DaulatStore
import DaulatTestSupport
import Foundation
import Testing

/// The store's part in agent identity, the same on PostgreSQL and SQLite.
@Suite("Store contract: agent identity")
struct AgentIdentityStoreTests {
    static let actor = "operator:test"

    func seeded(_ store: some DaulatStore) async throws {
        try await AllianceSeeder.addMissing(
            to: store, from: try AllianceDefinitionFile.load(ExampleConfig.allianceFile), actor: Self.actor)
    }

    func authority(_ name: String) -> StoredCertificateAuthority {
        StoredCertificateAuthority(
            trustDomain: name, certificatePEM: "PEM \(name)", sealedKey: "sealed \(name)",
            createdAt: CanonicalJSON.rounded(Date()))
    }

    @Test("the first certificate authority stored is the one everyone gets", arguments: StoreKind.allCases)
    func establish(kind: StoreKind) async throws {
        try await TestDatabase.withStore(kind) { store in
            #expect(try await store.certificateAuthority() == nil)
            let first = authority("first")
            #expect(try await store.establishCertificateAuthority(first, actor: Self.actor) == first)
            #expect(try await store.establishCertificateAuthority(authority("second"), actor: Self.actor) == first)
            #expect(try await store.certificateAuthority() == first)
            let entries = try await store.auditEntries(after: 0, limit: 100)
            #expect(entries.map(\.action) == ["certificate_authority.created"])
            #expect(entries.allSatisfy { !($0.after ?? "").contains("sealed") }, "the sealed key stays out of the log")
        }
    }

    @Test("a join token enrols its host once, before it expires", arguments: StoreKind.allCases)
    func joinTokens(kind: StoreKind) async throws {
        try await TestDatabase.withStore(kind) { store in
            try await seeded(store)
            let now = CanonicalJSON.rounded(Date())
            let token = JoinToken(
                id: "jt-1", subject: .host("id-jkt-1-a"), secretHash: "hash-1", createdAt: now,
                expiresAt: now.addingTimeInterval(60))
            try await store.addJoinToken(token, actor: Self.actor)
            #expect(try await store.joinToken(secretHash: "hash-1") == token)
            #expect(try await store.joinToken(secretHash: "hash-2") == nil)
            await #expect(throws: StoreError.notFound(kind: "host", id: "no-such-host")) {
                try await store.addJoinToken(
                    JoinToken(
                        id: "jt-2", subject: .host("no-such-host"), secretHash: "hash-2", createdAt: now,
                        expiresAt: now.addingTimeInterval(60)),
                    actor: Self.actor
                )
            }

            let certificate = EnrolledCertificate(
                serial: "01ab", subject: .host("id-jkt-1-a"), issuedAt: now, notAfter: now.addingTimeInterval(3_600))
            try await store.redeemJoinToken(id: "jt-1", issuing: certificate, at: now, actor: "agent:id-jkt-1-a")
            #expect(try await store.joinToken(secretHash: "hash-1")?.usedAt == now)
            #expect(try await store.certificate(serial: "01ab") == certificate)
            await #expect(throws: JoinTokenRefusal.alreadyUsed) {
                try await store.redeemJoinToken(
                    id: "jt-1",
                    issuing: EnrolledCertificate(
                        serial: "02cd", subject: .host("id-jkt-1-a"), issuedAt: now, notAfter: now),
                    at: now, actor: "agent:x"
                )
            }
            #expect(try await store.certificate(serial: "02cd") == nil, "a refused redemption records nothing")

            let expiring = JoinToken(
                id: "jt-3", subject: .host("sg-sin-1-a"), secretHash: "hash-3", createdAt: now,
                expiresAt: now.addingTimeInterval(1))
            try await store.addJoinToken(expiring, actor: Self.actor)
            await #expect(throws: JoinTokenRefusal.expired) {
                try await store.redeemJoinToken(
                    id: "jt-3",
                    issuing: EnrolledCertificate(
                        serial: "03ef", subject: .host("sg-sin-1-a"), issuedAt: now, notAfter: now),
                    at: now.addingTimeInterval(1), actor: "agent:x"
                )
            }
            let actions = try await store.auditEntries(after: 0, limit: 1000).map(\.action)
            #expect(actions.filter { $0 == "join_token.created" }.count == 2)
            #expect(actions.filter { $0 == "host.enrolled" }.count == 1)
            #expect(
                try await store.auditEntries(after: 0, limit: 1000).allSatisfy { !($0.after ?? "").contains("hash-") })
        }
    }

    @Test(
        "revoking a host revokes every certificate it holds, and only its own, and is published while they live",
        arguments: StoreKind.allCases)
    func revocation(kind: StoreKind) async throws {
        try await TestDatabase.withStore(kind) { store in
            try await seeded(store)
            let now = CanonicalJSON.rounded(Date())
            for (serial, host) in [("aa", "id-jkt-1-a"), ("bb", "id-jkt-1-a"), ("cc", "sg-sin-1-a")] {
                try await store.addCertificate(
                    EnrolledCertificate(
                        serial: serial, subject: .host(host), issuedAt: now, notAfter: now.addingTimeInterval(60)),
                    actor: "agent:\(host)"
                )
            }
            #expect(try await store.revoke(.host("id-jkt-1-a"), at: now, actor: Self.actor) == 2)
            #expect(try await store.certificate(serial: "aa")?.revokedAt == now)
            #expect(try await store.certificate(serial: "bb")?.revokedAt == now)
            #expect(try await store.certificate(serial: "cc")?.revokedAt == nil)
            #expect(try await store.revoke(.host("id-jkt-1-a"), at: now, actor: Self.actor) == 0)
            // Published to peers while a revoked certificate could still be shown (60 s, and the margin).
            #expect(try await store.revokedHosts(at: now, margin: 0) == ["id-jkt-1-a": now])
            #expect(try await store.revokedHosts(at: now.addingTimeInterval(90), margin: 0).isEmpty)
            #expect(
                try await store.revokedHosts(at: now.addingTimeInterval(90), margin: 60) == ["id-jkt-1-a": now])
            await #expect(throws: StoreError.notFound(kind: "host", id: "nowhere")) {
                try await store.revoke(.host("nowhere"), at: now, actor: Self.actor)
            }
            #expect(
                try await store.auditEntries(after: 0, limit: 1000).filter { $0.action == "host.revoked" }.count == 2)
        }
    }

    @Test("a host's latest heartbeat replaces the one before", arguments: StoreKind.allCases)
    func heartbeats(kind: StoreKind) async throws {
        try await TestDatabase.withStore(kind) { store in
            try await seeded(store)
            let now = CanonicalJSON.rounded(Date())
            try await store.recordHeartbeat(
                HostHeartbeat(hostID: "id-jkt-1-a", at: now, capacityBytes: 100, freeBytes: 40))
            let later = HostHeartbeat(
                hostID: "id-jkt-1-a", at: now.addingTimeInterval(5), capacityBytes: 100, freeBytes: 30)
            try await store.recordHeartbeat(later)
            #expect(try await store.heartbeats() == [later])
            let entries = try await store.auditEntries(after: 0, limit: 1000)
            #expect(
                entries.allSatisfy { !$0.action.contains("heartbeat") },
                "heartbeats report state; they are not audited changes")
        }
    }
}
