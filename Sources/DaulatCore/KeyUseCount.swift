/// How many unwraps of a jurisdiction's concern were asked for with one justification, and how
/// many of them were allowed and refused.
public struct KeyUseCount: Hashable, Sendable, Codable {
    public var justification: Justification
    public var allowed: Int
    public var refused: Int

    public init(justification: Justification, allowed: Int, refused: Int) {
        self.justification = justification
        self.allowed = allowed
        self.refused = refused
    }

    /// The counts the audit entries of key uses give, by justification.
    public static func counting(_ uses: [KeyUse]) -> [KeyUseCount] {
        var counts: [Justification: KeyUseCount] = [:]
        for use in uses {
            let justification = use.request.justification
            var count = counts[justification] ?? KeyUseCount(justification: justification, allowed: 0, refused: 0)
            if use.allowed { count.allowed += 1 } else { count.refused += 1 }
            counts[justification] = count
        }
        return counts.values.sorted { $0.justification.rawValue < $1.justification.rawValue }
    }
}
