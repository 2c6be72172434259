import Foundation

/// The last word from a host's agent: when, and how much space it has.
public struct HostHeartbeat: Hashable, Sendable, Codable {
    public var hostID: String
    public var at: Date
    public var capacityBytes: Int64
    public var freeBytes: Int64
    /// Where the agent serves objects, if it does.
    public var dataURL: String?

    public init(hostID: String, at: Date, capacityBytes: Int64, freeBytes: Int64, dataURL: String? = nil) {
        self.hostID = hostID
        self.at = at
        self.capacityBytes = capacityBytes
        self.freeBytes = freeBytes
        self.dataURL = dataURL
    }
}
