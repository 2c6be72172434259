/// A client's `Idempotency-Key` for a creation, with a digest of the request it came with, so a retry
/// returns the first result and a different request under the same key is refused.
public struct IdempotencyClaim: Sendable, Equatable {
    public var principalID: String
    public var key: String
    public var requestDigest: String

    public init(principalID: String, key: String, requestDigest: String) {
        self.principalID = principalID
        self.key = key
        self.requestDigest = requestDigest
    }
}
