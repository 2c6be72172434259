import Foundation

/// Something an agent holds that is not a copy the control plane counts: an object id no object has,
/// an object held without evidence while other copies are recorded, or a blob an agent of an earlier
/// version kept by hash alone. Left where it is (it may be evidence) and shown to operators until it
/// is gone.
public struct FlaggedBlob: Hashable, Sendable, Codable {
    public var hostID: String
    /// The object id it is kept under, or the hash of a blob kept by hash alone.
    public var blob: String
    public var reason: String
    public var firstSeen: Date

    public init(hostID: String, blob: String, reason: String, firstSeen: Date) {
        self.hostID = hostID
        self.blob = blob
        self.reason = reason
        self.firstSeen = firstSeen
    }
}
