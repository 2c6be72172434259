import DaulatCore
import DaulatCrypto
import DaulatFiles
import DaulatPKI
import Foundation

/// One witness's rounds: fetch the log's checkpoint, check the log signed it and that it extends the
/// last one cosigned, cosign, keep it as the last one (durably, before handing the cosignature out),
/// and post the cosignature.
struct LogWitness {
    /// A checkpoint the witness will not cosign: the log has forked or gone back.
    struct Refusal: Error, CustomStringConvertible {
        let description: String
    }

    let name: String
    let key: StateSigningKey
    /// Base64 of the log's Ed25519 key.
    let logKey: String
    let stateFile: URL

    func round(api: APIClient) async throws -> Checkpoint {
        let note = String(decoding: try await api.send(.GET, "/v1/audit/checkpoint"), as: UTF8.self)
        let checkpoint = try verifiedLogCheckpoint(note)
        if let last = try lastCosigned() {
            guard last.origin == checkpoint.origin else {
                throw Refusal(description: "the log is now named \(checkpoint.origin), not \(last.origin)")
            }
            guard checkpoint.size >= last.size else {
                throw Refusal(
                    description: "the log went back from size \(last.size) to \(checkpoint.size)")
            }
            if checkpoint.size == last.size {
                guard checkpoint.root == last.root else {
                    throw Refusal(
                        description:
                            "two roots at size \(last.size): \(last.root) cosigned before, \(checkpoint.root) now (a split view or a rewritten log)"
                    )
                }
            } else if last.size > 0 {
                let (proof, _) = try await api.get(
                    "/v1/audit/proofs/consistency?from=\(last.size)&to=\(checkpoint.size)", as: ConsistencyProof.self)
                do {
                    try MerkleProof.verifyConsistency(
                        size1: UInt64(last.size), size2: UInt64(checkpoint.size),
                        proof: try proof.proof.map(Self.hash), root1: try Self.hash(last.root),
                        root2: try Self.hash(checkpoint.root))
                } catch {
                    throw Refusal(
                        description:
                            "size \(checkpoint.size) does not extend the size \(last.size) cosigned before: \(error)")
                }
            }
        }
        try DurableFile.write(Data(checkpoint.text.utf8), to: stateFile, mode: 0o644)
        let line = try key.cosignature(of: checkpoint, as: name, at: Date())
        _ = try await api.send(
            .POST, "/v1/audit/checkpoint/cosignatures",
            body: ["checkpoint": SignedNote(text: checkpoint.text, signatures: [line]).formatted])
        return checkpoint
    }

    private func verifiedLogCheckpoint(_ note: String) throws -> Checkpoint {
        let parsed: SignedNote
        do {
            parsed = try SignedNote(parsing: note)
        } catch {
            throw Refusal(description: "the log's checkpoint: \(error)")
        }
        guard let checkpoint = Checkpoint(text: parsed.text),
            let key = NoteKey(name: checkpoint.origin, type: NoteKey.ed25519, base64: logKey)
        else { throw Refusal(description: "the log's answer is not a checkpoint, or --log-key is not a key") }
        do {
            return try WitnessedCheckpoint.verify(note, logKey: key, witnesses: [:]).checkpoint
        } catch {
            throw Refusal(description: "the checkpoint is not the log's: \(error)")
        }
    }

    private func lastCosigned() throws -> Checkpoint? {
        guard let data = FileManager.default.contents(atPath: stateFile.path) else { return nil }
        guard let checkpoint = Checkpoint(text: String(decoding: data, as: UTF8.self)) else {
            throw Refusal(description: "\(stateFile.path) does not hold a checkpoint; restore it, do not delete it")
        }
        return checkpoint
    }

    private static func hash(_ base64: String) throws -> [UInt8] {
        guard let data = Data(base64Encoded: base64) else { throw Refusal(description: "a hash is not base64") }
        return [UInt8](data)
    }
}
