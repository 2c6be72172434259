/// Split custody: each data key of a dataset is cut into `shares` Shamir shares, one to a custodian in
/// each of `shares` different jurisdictions, and any `threshold` of them open it. No state can open an
/// object alone, and up to `shares - threshold` custodians may be down without anything being lost.
public struct KeySplit: Hashable, Sendable, Codable {
    /// An object carries at most this many wrapped keys; more would only bloat every read.
    public static let mostShares = 16

    public var threshold: Int
    public var shares: Int

    public init(threshold: Int, shares: Int) {
        self.threshold = threshold
        self.shares = shares
    }

    /// At least two shares must be needed, or the split would protect nothing a whole key does not.
    public func validate() throws(DomainError) {
        guard (2...Self.mostShares).contains(shares), (2...shares).contains(threshold) else {
            throw DomainError(
                .inconsistentPolicy,
                "keySplit needs 2 to \(Self.mostShares) shares and a threshold from 2 to the number of shares (got \(threshold) of \(shares))"
            )
        }
    }
}
