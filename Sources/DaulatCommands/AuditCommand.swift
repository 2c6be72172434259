import ArgumentParser
import DaulatCore
import DaulatCrypto
import DaulatPKI
import Foundation

/// `daulat audit …`: the audit log as a signed Merkle tree.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check the audit log against its signed tree head; get tree heads and proofs.",
        subcommands: [AuditVerify.self, AuditTreeHead.self, AuditProve.self, AuditCheckpoint.self]
    )
}

struct AuditVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-check every entry of the audit log against a freshly signed tree head (operators).",
        discussion: """
            Asks the control plane to sign a head for the log as it is (it refuses when the log no longer \
            extends the last head kept), checks that head with the alliance's audit log public key, reads \
            every entry, hashes it as a leaf and recomputes the root: an entry changed, deleted, inserted \
            or moved makes it differ. With --since, a head kept earlier (JSON, as `daulat audit tree-head \
            --output json` prints it), it also checks that the new head extends that one: changes made \
            together with the heads in the database cannot pass it. Exit status 0 when all holds.
              daulat audit verify --public-key "$KEY" --since kept-head.json
            """
    )

    @OptionGroup var client: ClientOptions
    @Option(help: "The alliance's audit log public key (base64), as published; not the server's say-so.")
    var publicKey: String
    @Option(help: "A tree head kept earlier (JSON) that the log must still extend.") var since: String?

    func run() async throws {
        let api = try client.client()
        func failure(_ reason: String) -> ClientError {
            ClientError(message: "the audit log does not verify: \(reason)")
        }
        var kept: SignedTreeHead?
        if let since {
            let head = try ProofFile.read(SignedTreeHead.self, from: since)
            guard AuditLogKey.verify(head, publicKey: publicKey) else {
                throw ClientError(message: "\(since) is not a tree head signed by the audit log key")
            }
            kept = head
        }
        let head: SignedTreeHead
        do {
            head = try CanonicalJSON.decoder().decode(
                SignedTreeHead.self, from: try await api.send(.POST, "/v1/audit/tree-heads"))
        } catch {
            throw failure("\(error)")
        }
        guard AuditLogKey.verify(head, publicKey: publicKey) else {
            throw failure("the head of size \(head.size) is not signed by the audit log key \(publicKey)")
        }
        if let kept {
            guard kept.size <= head.size else {
                throw failure("the log has \(head.size) entries, fewer than the \(kept.size) of the head kept")
            }
            if kept.size == head.size {
                guard kept.root == head.root else {
                    throw failure("the head kept and the new one differ at the same size")
                }
            } else {
                let (proof, _) = try await api.get(
                    APIClient.path(
                        "/v1/audit/proofs/consistency", query: [("from", "\(kept.size)"), ("to", "\(head.size)")]),
                    as: ConsistencyProof.self)
                do {
                    try MerkleProof.verifyConsistency(
                        size1: UInt64(kept.size), size2: UInt64(head.size),
                        proof: try proof.proof.map { try ProofFile.bytes($0, "proof hash") },
                        root1: try ProofFile.bytes(kept.root, "kept root"),
                        root2: try ProofFile.bytes(head.root, "new root"))
                } catch let error as MerkleProofError {
                    throw failure("the new head does not extend the one kept: \(error)")
                }
            }
        }
        var tree = MerkleTree()
        var after = Int64.min
        while tree.size < head.size {
            let (page, _) = try await api.get(
                APIClient.path("/v1/audit", query: [("after", "\(after)"), ("limit", "1000")]), as: AuditPage.self)
            guard let last = page.entries.last else { break }
            for entry in page.entries { tree.append(leafHash: MerkleHash.leaf(entry.leafData)) }
            after = last.sequence
        }
        guard tree.size >= head.size else {
            throw failure("it holds \(tree.size) entries, the signed head \(head.size)")
        }
        let root = Data(tree.prefix(Int(head.size)).root).base64EncodedString()
        guard root == head.root else {
            throw failure(
                "its first \(head.size) entries give root \(root), the head signed at \(CanonicalJSON.format(head.timestamp)) says \(head.root)"
            )
        }
        try Output.print(try CanonicalJSON.encoder().encode(head), format: client.output) {
            var table = Table("ENTRIES", "ROOT", "SIGNED AT", "RESULT")
            table.add(
                "\(head.size)", head.root, CanonicalJSON.format(head.timestamp),
                kept.map { "matches its signed head, which extends the one of \($0.size) kept" }
                    ?? "the log matches its signed head")
            return table
        }
    }
}

/// One page of `GET /v1/audit`.
struct AuditPage: Decodable {
    let entries: [AuditEntry]
}

struct AuditTreeHead: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tree-head",
        abstract: "The latest signed tree head, and the public key that checks it.",
        discussion: """
            Keep the heads you are given: a later one must be consistent with each (daulat audit prove \
            consistency), or the log was changed between them.
            """
    )

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let api = try client.client()
        let (head, data) = try await api.get("/v1/audit/tree-head", as: SignedTreeHead.self)
        let key = try await api.get("/v1/audit/public-key", as: [String: String].self).0["publicKey"] ?? "?"
        try Output.print(data, format: client.output) {
            var table = Table("ENTRIES", "ROOT", "SIGNED AT", "PUBLIC KEY (Ed25519)")
            table.add("\(head.size)", head.root, CanonicalJSON.format(head.timestamp), key)
            return table
        }
    }
}

struct AuditProve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prove",
        abstract: "An inclusion or consistency proof, as JSON for `daulat proof verify-…` (operators).",
        discussion: """
              daulat audit prove inclusion --index 41 > inclusion.json       # entry 42, in the latest head's tree
              daulat audit prove consistency --from 1000 > consistency.json  # the latest head extends size 1000
            """
    )

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case inclusion, consistency
    }

    @OptionGroup var client: ClientOptions
    @Argument(help: "inclusion or consistency.") var kind: Kind
    @Option(help: "For inclusion: the entry's position in the log, from 0.") var index: Int64?
    @Option(help: "For consistency: the earlier tree's size.") var from: Int64?
    @Option(help: "The tree's size (by default the latest signed head's).") var size: Int64?

    func validate() throws {
        switch kind {
        case .inclusion where index == nil: throw ValidationError("inclusion needs --index")
        case .consistency where from == nil: throw ValidationError("consistency needs --from")
        default: break
        }
    }

    func run() async throws {
        var query: [(String, String)] = []
        switch kind {
        case .inclusion: query.append(("index", "\(index ?? 0)"))
        case .consistency: query.append(("from", "\(from ?? 0)"))
        }
        if let size { query.append((kind == .inclusion ? "size" : "to", "\(size)")) }
        let data = try await client.client().send(
            .GET, APIClient.path("/v1/audit/proofs/\(kind.rawValue)", query: query))
        FileHandle.standardOutput.write(data)
        print()
    }
}
