import Foundation

/// A blob an agent holds that is no object's: left where it is (it may be evidence) and shown to
/// operators until it is gone.
public struct FlaggedBlob: Hashable, Sendable, Codable {
    public var hostID: String
    public var sha256: String
    public var firstSeen: Date

    public init(hostID: String, sha256: String, firstSeen: Date) {
        self.hostID = hostID
        self.sha256 = sha256
        self.firstSeen = firstSeen
    }
}
