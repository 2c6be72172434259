/// Too few shares to open the key: which are missing, from whom and where.
public struct KeyRecoveryError: Error, Hashable, Sendable, CustomStringConvertible {
    public let have: Int
    public let need: Int
    public let missing: [MissingShare]

    public var code: String { "too_few_shares" }

    public var description: String {
        let list = missing.map {
            "share \($0.share.index) from custodian \($0.share.custodian) in \($0.share.jurisdiction): \($0.reason)"
        }
        return "\(have) of the \(need) shares needed to open the key; missing: \(list.joined(separator: "; "))"
    }
}
