import Foundation

/// What the audit log says about residency at one past instant, for a report "as at" it: the datasets
/// then, their objects and where copies of them were, each dataset's placement as last planned (with
/// its violations), each agreement, host and evacuation as it then stood. Fed the log in order;
/// entries after the instant change nothing, so a log read to its end gives the state at the instant.
public struct ResidencyReplay: Sendable {
    public let at: Date
    public private(set) var datasets: [String: Dataset] = [:]
    public private(set) var objects: [String: StoredObject] = [:]
    /// Object id → the hosts holding a copy.
    public private(set) var copies: [String: Set<String>] = [:]
    public private(set) var placements: [String: Placement] = [:]
    public private(set) var agreements: [String: Agreement] = [:]
    /// Hosts created or changed by then (a host may have moved site); others are as the topology has them.
    public private(set) var hosts: [String: StorageHost] = [:]
    public private(set) var evacuations: [String: Evacuation] = [:]

    public init(at: Date) {
        self.at = at
    }

    /// The log entry's change, if it was made by `at` and concerns residency.
    public mutating func apply(_ entry: AuditEntry) {
        guard entry.at <= at else { return }
        switch entry.action {
        case "dataset.registered", "dataset.policy_changed":
            if let dataset = Self.decode(Dataset.self, entry.after) { datasets[dataset.id] = dataset }
        case "dataset.deleted", "dataset.shred_completed":
            forget(dataset: entry.subjectID)
        case "dataset.shredded":
            // Its keys are gone and its placement with them; its copies go as agents delete them.
            placements[entry.subjectID] = nil
        case "placement.changed":
            if let placement = Self.decode(Placement.self, entry.after) { placements[entry.subjectID] = placement }
        case "object.registered":
            // Earlier versions recorded the object alone, without the keys wrapped for it.
            if let object = Self.decode(Registration.self, entry.after)?.object
                ?? Self.decode(StoredObject.self, entry.after)
            {
                objects[object.id] = object
            }
        case "object.copy_stored", "object.copy_found":
            if let event = CopyEvent.of(entry) { copies[event.object, default: []].insert(event.host) }
        case "object.copy_released", "object.copy_lost":
            if let event = CopyEvent.of(entry) { copies[event.object]?.remove(event.host) }
        case "host.created", "host.updated":
            if let host = Self.decode(StorageHost.self, entry.after) { hosts[host.id] = host }
        case _ where entry.action.hasPrefix("evacuation."):
            if let evacuation = Self.decode(Evacuation.self, entry.after) { evacuations[evacuation.id] = evacuation }
        case _ where entry.subjectKind == "agreement":
            if let agreement = Self.decode(Agreement.self, entry.after) { agreements[agreement.id] = agreement }
        default:
            return
        }
    }

    /// Every copy of an object of a dataset that existed then, by object and host, in that order.
    public var heldCopies: [(object: StoredObject, dataset: Dataset, hostID: String)] {
        var held: [(object: StoredObject, dataset: Dataset, hostID: String)] = []
        for (objectID, hosts) in copies.sorted(by: { $0.key < $1.key }) {
            guard let object = objects[objectID], let dataset = datasets[object.datasetID] else { continue }
            for host in hosts.sorted() { held.append((object, dataset, host)) }
        }
        return held
    }

    private mutating func forget(dataset id: String) {
        datasets[id] = nil
        placements[id] = nil
        for (objectID, object) in objects where object.datasetID == id {
            objects[objectID] = nil
            copies[objectID] = nil
        }
    }

    /// The object an `object.registered` entry records (the keys it also records are not needed here).
    private struct Registration: Decodable {
        var object: StoredObject
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ document: String?) -> T? {
        document.flatMap { try? CanonicalJSON.decode(type, from: $0) }
    }
}
