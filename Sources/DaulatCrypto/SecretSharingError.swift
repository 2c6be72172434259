public enum SecretSharingError: Error, Equatable, Sendable, CustomStringConvertible {
    case emptySecret
    case invalidThreshold(threshold: Int, shares: Int)
    case tooFewShares(have: Int, need: Int)
    case duplicateShares
    case inconsistentShares

    public var code: String {
        switch self {
        case .emptySecret: "secret_empty"
        case .invalidThreshold: "threshold_invalid"
        case .tooFewShares: "too_few_shares"
        case .duplicateShares: "duplicate_shares"
        case .inconsistentShares: "inconsistent_shares"
        }
    }

    public var description: String {
        switch self {
        case .emptySecret: "there is no secret to split"
        case .invalidThreshold(let threshold, let shares):
            "a \(threshold)-of-\(shares) split is impossible: it needs 1 ≤ k ≤ n ≤ 255"
        case .tooFewShares(let have, let need): "\(have) of the \(need) shares needed to recover the key"
        case .duplicateShares: "the same share was given twice"
        case .inconsistentShares: "the shares are not of one split (different thresholds or lengths)"
        }
    }
}
