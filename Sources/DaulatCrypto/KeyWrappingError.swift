public enum KeyWrappingError: Error, Equatable, Sendable, CustomStringConvertible {
    case unsupportedSuite(String)
    case cannotUnwrap(recipientKeyID: String)
    case invalidContext(String)

    public var code: String {
        switch self {
        case .unsupportedSuite: "wrap_suite_unsupported"
        case .cannotUnwrap: "key_unwrap_failed"
        case .invalidContext: "wrap_context_invalid"
        }
    }

    public var description: String {
        switch self {
        case .unsupportedSuite(let suite): "keys wrapped with \(suite) cannot be opened by this build"
        case .invalidContext(let reason): "the wrapping context is invalid: \(reason)"
        case .cannotUnwrap(let keyID):
            "the key wrapped to \(keyID) does not open with this private key and context: another key, object or share, or it was changed"
        }
    }
}
