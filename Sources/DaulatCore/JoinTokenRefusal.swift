/// Why a join token was refused. Each has a stable code clients can rely on.
public enum JoinTokenRefusal: String, Error, Sendable, CustomStringConvertible {
    case unknown = "join_token_unknown"
    case alreadyUsed = "join_token_used"
    case expired = "join_token_expired"

    public var code: String { rawValue }

    public var description: String {
        switch self {
        case .unknown: "this join token is not one the control plane issued"
        case .alreadyUsed: "this join token has already been used; ask an operator for a new one"
        case .expired: "this join token has expired; ask an operator for a new one"
        }
    }
}
