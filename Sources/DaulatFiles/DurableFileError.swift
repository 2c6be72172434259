public struct DurableFileError: Error, Equatable, Sendable, CustomStringConvertible {
    public let action: String
    public let path: String
    public let reason: String
    /// The file could be read by others than its owner.
    public let tooOpen: Bool
    /// The system's error number, when a system call failed (`EEXIST`: the file was already there).
    public let systemError: Int32?

    public init(action: String, path: String, reason: String, tooOpen: Bool = false, systemError: Int32? = nil) {
        self.action = action
        self.path = path
        self.reason = reason
        self.tooOpen = tooOpen
        self.systemError = systemError
    }

    public var description: String { "cannot \(action) \(path): \(reason)" }
}
