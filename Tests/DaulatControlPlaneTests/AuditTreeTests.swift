import DaulatCore
import DaulatCrypto
import DaulatPKI
import DaulatTestSupport
import Foundation
import Testing

/// The audit log as a signed Merkle tree through the API: heads signed by the audit log key, each
/// entry provably in them, each head provably extending the last; bad requests refused.
@Suite("Audit log: signed tree heads and proofs")
struct AuditTreeTests {
    @Test(
        "heads verify with the public key; every entry's inclusion and every head's consistency hold",
        arguments: StoreKind.allCases)
    func proofs(kind: StoreKind) async throws {
        try await APIHarness.run(kind) { api in
            let key = try #require(try await api.admin(.get, "/v1/audit/public-key").json["publicKey"] as? String)
            let first = try await api.admin(.post, "/v1/audit/tree-heads")
            #expect(first.status == 201, "\(first.errorMessage ?? "")")
            let head1 = try first.decode(SignedTreeHead.self)
            #expect(AuditLogKey.verify(head1, publicKey: key))
            #expect(head1.size == (try await api.store.auditLogSize()))
            var forged = head1
            forged.size += 1
            #expect(!AuditLogKey.verify(forged, publicKey: key), "the size is signed")

            // More changes, a new head, and proofs between the two.
            for name in ["census", "population", "trade"] { try await api.register(name) }
            let head2 = try await api.admin(.post, "/v1/audit/tree-heads").decode(SignedTreeHead.self)
            #expect(head2.size > head1.size && AuditLogKey.verify(head2, publicKey: key))
            let latest = try await api.admin(.get, "/v1/audit/tree-head").decode(SignedTreeHead.self)
            #expect(latest == head2)

            let entries = try await api.store.auditEntries(after: 0, limit: 10_000)
            for index in [0, 1, Int(head1.size) - 1, Int(head2.size) - 1] {
                let proof = try await api.admin(.get, "/v1/audit/proofs/inclusion?index=\(index)").decode(
                    InclusionProof.self)
                #expect(proof.treeSize == UInt64(head2.size) && proof.root == head2.root)
                #expect(proof.leafHash == Data(MerkleHash.leaf(entries[index].leafData)).base64EncodedString())
                try MerkleProof.verifyInclusion(
                    index: proof.leafIdx, size: proof.treeSize, leafHash: Self.bytes(proof.leafHash),
                    proof: proof.proof.map(Self.bytes), root: Self.bytes(head2.root))
            }
            let consistency = try await api.admin(.get, "/v1/audit/proofs/consistency?from=\(head1.size)").decode(
                ConsistencyProof.self)
            #expect(consistency.root1 == head1.root && consistency.root2 == head2.root)
            try MerkleProof.verifyConsistency(
                size1: UInt64(head1.size), size2: UInt64(head2.size), proof: consistency.proof.map(Self.bytes),
                root1: Self.bytes(head1.root), root2: Self.bytes(head2.root))
        }
    }

    @Test("bad proof requests are 400s; heads and proofs for anyone with a token, entries for operators")
    func badRequests() async throws {
        try await APIHarness.run(.sqlite) { api in
            _ = try await api.admin(.post, "/v1/audit/tree-heads")
            let size = try await api.store.auditLogSize()
            for path in [
                "/v1/audit/proofs/inclusion", "/v1/audit/proofs/inclusion?index=-1",
                "/v1/audit/proofs/inclusion?index=\(size)", "/v1/audit/proofs/inclusion?index=0&size=\(size + 5)",
                "/v1/audit/proofs/inclusion?index=x", "/v1/audit/proofs/consistency",
                "/v1/audit/proofs/consistency?from=0", "/v1/audit/proofs/consistency?from=\(size)&to=\(size - 1)",
            ] {
                let reply = try await api.admin(.get, path)
                #expect(reply.status == 400 && reply.errorCode == "invalid_parameter", "\(path): \(reply.status)")
            }
            let regulator = try await api.issueToken(role: "regulator", jurisdiction: "ID")
            #expect(try await api.send(.get, "/v1/audit/tree-head", token: regulator).status == 200)
            #expect(try await api.send(.get, "/v1/audit/public-key", token: regulator).status == 200)
            #expect(try await api.send(.get, "/v1/audit/proofs/inclusion?index=0", token: regulator).status == 200)
            #expect(try await api.send(.get, "/v1/audit?limit=1", token: regulator).status == 403, "entries are not")
            #expect(try await api.send(.post, "/v1/audit/tree-heads", token: regulator).status == 403)
            #expect(try await api.send(.get, "/v1/audit/tree-head").status == 401)
        }
    }

    static func bytes(_ text: String) -> [UInt8] { [UInt8](Data(base64Encoded: text) ?? Data()) }
}
