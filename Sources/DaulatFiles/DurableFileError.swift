public struct DurableFileError: Error, Equatable, Sendable, CustomStringConvertible {
    public let action: String
    public let path: String
    public let reason: String
    /// The file could be read by others than its owner.
    public let tooOpen: Bool

    public init(action: String, path: String, reason: String, tooOpen: Bool = false) {
        self.action = action
        self.path = path
        self.reason = reason
        self.tooOpen = tooOpen
    }

    public var description: String { "cannot \(action) \(path): \(reason)" }
}
