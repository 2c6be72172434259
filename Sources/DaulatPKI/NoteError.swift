/// Why a signed note (a checkpoint, its cosignatures) is not accepted.
public enum NoteError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(String)
    case notACheckpoint
    /// No signature from the log's key, or one that does not verify.
    case logSignature
    case cosignatureInvalid(String)

    public var code: String {
        switch self {
        case .malformed: "note_malformed"
        case .notACheckpoint: "not_a_checkpoint"
        case .logSignature: "checkpoint_signature_invalid"
        case .cosignatureInvalid: "cosignature_invalid"
        }
    }

    public var description: String {
        switch self {
        case .malformed(let reason): "not a signed note: \(reason)"
        case .notACheckpoint: "the note is not a checkpoint (origin, size, root hash; no extension lines)"
        case .logSignature: "the checkpoint carries no valid signature of the audit log's key"
        case .cosignatureInvalid(let name): "the cosignature of \(name) does not verify"
        }
    }
}
