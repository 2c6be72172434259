/// Why a sealed object could not be read. Every case means no plaintext: a reader stops at the first.
public enum SealedObjectError: Error, Equatable, Sendable, CustomStringConvertible {
    case notSealed
    case unsupportedVersion(UInt8)
    case unsupportedAlgorithm(UInt8)
    case malformedHeader(String)
    /// The header names another object or data key than the one the reader was asked to open.
    case wrongObject(expected: String, found: String)
    case wrongKey(expected: String, found: String)
    /// The chunk did not authenticate: changed, moved, taken from another object, or the key is wrong.
    case chunkRejected(index: UInt32)
    /// The stream ends after a chunk that was not sealed as the last one.
    case truncated(afterChunks: UInt32)
    case tooLarge
    case invalidDataKey(bits: Int)
    /// Used again after it finished or failed.
    case closed

    /// Stable, for scripts and error bodies.
    public var code: String {
        switch self {
        case .notSealed: "not_sealed_object"
        case .unsupportedVersion: "sealed_version_unsupported"
        case .unsupportedAlgorithm: "sealed_algorithm_unsupported"
        case .malformedHeader: "sealed_header_malformed"
        case .wrongObject: "sealed_object_mismatch"
        case .wrongKey: "sealed_key_mismatch"
        case .chunkRejected: "sealed_chunk_rejected"
        case .truncated: "sealed_object_truncated"
        case .tooLarge: "sealed_object_too_large"
        case .invalidDataKey: "data_key_invalid"
        case .closed: "sealed_stream_closed"
        }
    }

    public var description: String {
        switch self {
        case .notSealed: "this is not a Daulat sealed object"
        case .unsupportedVersion(let version): "sealed-object format version \(version) is not one this build reads"
        case .unsupportedAlgorithm(let algorithm): "sealing algorithm \(algorithm) is not one this build reads"
        case .malformedHeader(let reason): "the sealed object's header is malformed: \(reason)"
        case .wrongObject(let expected, let found): "the sealed object is \(found), not \(expected)"
        case .wrongKey(let expected, let found): "the sealed object is sealed under key \(found), not \(expected)"
        case .chunkRejected(let index):
            "chunk \(index) failed authentication: it was changed, moved or taken from another object, or the key is wrong"
        case .truncated(let chunks):
            chunks == 0
                ? "the sealed object ends before its first chunk"
                : "the sealed object ends after chunk \(chunks - 1), which is not its last"
        case .tooLarge: "the object is larger than the format allows (2^32 chunks)"
        case .invalidDataKey(let bits): "a data key must be 256 bits, not \(bits)"
        case .closed: "the stream already finished or failed; start a new one"
        }
    }
}
