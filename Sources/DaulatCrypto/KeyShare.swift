/// One of the n shares of a secret split k-of-n: the point `index` (1...255) of each byte's polynomial.
/// It carries the threshold, so that combining too few is refused with a reason rather than giving a
/// wrong secret.
public struct KeyShare: Hashable, Sendable, Codable, CustomStringConvertible {
    public let index: UInt8
    public let threshold: UInt8
    public let bytes: [UInt8]

    public init(index: UInt8, threshold: UInt8, bytes: [UInt8]) {
        self.index = index
        self.threshold = threshold
        self.bytes = bytes
    }

    /// Never the share's bytes: shares end up in logs by accident.
    public var description: String { "share \(index) of a \(threshold)-of-n split (\(bytes.count) bytes)" }
}
