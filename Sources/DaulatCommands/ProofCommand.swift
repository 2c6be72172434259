import ArgumentParser
import DaulatCore
import DaulatCrypto
import Foundation

/// `daulat proof …`: checks Merkle proofs of the audit log offline, with nothing but the file.
struct ProofCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proof",
        abstract: "Check RFC 6962 inclusion and consistency proofs offline.",
        discussion: """
            Exit status 0 when the proof holds; 1, with the reason, when it does not or the file cannot be \
            read. Hashes are base64. The leaf hash is SHA-256(0x00 ‖ entry), a node SHA-256(0x01 ‖ left ‖ \
            right), as in RFC 6962.
            """,
        subcommands: [ProofVerifyInclusion.self, ProofVerifyConsistency.self]
    )

    /// Prints whether the proof held, then exits 1 if it did not.
    static func report(_ check: () throws(MerkleProofError) -> Void, holds: String, format: OutputFormat) throws {
        var failure: MerkleProofError?
        do throws(MerkleProofError) {
            try check()
        } catch {
            failure = error
        }
        switch format {
        case .json:
            print(try CanonicalJSON.encode(ProofResult(holds: failure == nil, reason: failure?.description)))
        case .table:
            if let failure {
                FileHandle.standardError.write(Data("the proof does not hold: \(failure)\n".utf8))
            } else {
                print(holds)
            }
        }
        if failure != nil { throw ExitCode(1) }
    }
}

struct ProofVerifyInclusion: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-inclusion",
        abstract: "Check that a leaf is in a tree: {\"leafIdx\", \"treeSize\", \"root\", \"leafHash\", \"proof\"}.",
        discussion: """
              daulat proof verify-inclusion inclusion.json
            """
    )

    @Argument(help: "The proof file (JSON).") var file: String
    @Option(help: "Output format: table or json.") var output: OutputFormat = .table

    func run() async throws {
        let proof = try ProofFile.read(InclusionProof.self, from: file)
        let root = try ProofFile.bytes(proof.root, "root")
        let leafHash = try ProofFile.bytes(proof.leafHash, "leaf hash")
        let path = try proof.proof.map { try ProofFile.bytes($0, "proof hash") }
        try ProofCommand.report(
            { () throws(MerkleProofError) in
                try MerkleProof.verifyInclusion(
                    index: proof.leafIdx, size: proof.treeSize, leafHash: leafHash, proof: path, root: root)
            },
            holds: "the proof holds: leaf \(proof.leafIdx) is in the tree of size \(proof.treeSize) with this root",
            format: output)
    }
}

struct ProofVerifyConsistency: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-consistency",
        abstract: "Check that a tree extends an earlier one: {\"size1\", \"size2\", \"root1\", \"root2\", \"proof\"}.",
        discussion: """
              daulat proof verify-consistency consistency.json
            """
    )

    @Argument(help: "The proof file (JSON).") var file: String
    @Option(help: "Output format: table or json.") var output: OutputFormat = .table

    func run() async throws {
        let proof = try ProofFile.read(ConsistencyProof.self, from: file)
        let root1 = try ProofFile.bytes(proof.root1, "first root")
        let root2 = try ProofFile.bytes(proof.root2, "second root")
        let path = try proof.proof.map { try ProofFile.bytes($0, "proof hash") }
        try ProofCommand.report(
            { () throws(MerkleProofError) in
                try MerkleProof.verifyConsistency(
                    size1: proof.size1, size2: proof.size2, proof: path, root1: root1, root2: root2)
            },
            holds:
                "the proof holds: the tree of size \(proof.size2) extends the tree of size \(proof.size1), changing nothing in it",
            format: output)
    }
}
