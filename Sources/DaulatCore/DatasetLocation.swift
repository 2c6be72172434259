import Foundation

/// Where a dataset's copies were at one instant, replayed from the audit log: each copy recorded
/// (stored by an agent, or found in its inventory) and not yet released or lost by then.
public struct DatasetLocation: Hashable, Sendable, Codable {
    public struct Copy: Hashable, Sendable, Codable {
        public var objectID: String
        public var hostID: String
        /// When the copy was recorded there.
        public var since: Date

        public init(objectID: String, hostID: String, since: Date) {
            self.objectID = objectID
            self.hostID = hostID
            self.since = since
        }
    }

    public var datasetID: String
    public var at: Date
    /// Whether the dataset existed then: registered, and not yet deleted or shredded.
    public var existed: Bool
    public var copies: [Copy]
    /// How many audit entries of the dataset were replayed, up to `at`.
    public var entriesReplayed: Int

    public init(datasetID: String, at: Date, existed: Bool, copies: [Copy], entriesReplayed: Int) {
        self.datasetID = datasetID
        self.at = at
        self.existed = existed
        self.copies = copies
        self.entriesReplayed = entriesReplayed
    }

    /// Replays `entries`, the dataset's audit entries in log order, up to and including `at`.
    public static func replay(_ entries: [AuditEntry], of datasetID: String, at: Date) -> DatasetLocation {
        var existed = false
        var copies: [String: Copy] = [:]
        var replayed = 0
        for entry in entries where entry.subjectID == datasetID && entry.at <= at {
            replayed += 1
            switch entry.action {
            case "dataset.registered":
                existed = true
            case "dataset.deleted", "dataset.shred_completed":
                existed = false
                copies = [:]
            case "object.copy_stored", "object.copy_found":
                if let event = CopyEvent.of(entry) {
                    copies["\(event.object) \(event.host)"] = Copy(
                        objectID: event.object, hostID: event.host, since: entry.at)
                }
            case "object.copy_released", "object.copy_lost":
                if let event = CopyEvent.of(entry) { copies["\(event.object) \(event.host)"] = nil }
            default:
                continue
            }
        }
        return DatasetLocation(
            datasetID: datasetID, at: at, existed: existed,
            copies: copies.values.sorted { ($0.objectID, $0.hostID) < ($1.objectID, $1.hostID) },
            entriesReplayed: replayed)
    }
}
