import Foundation

/// Compares every verified copy with where its dataset may be stored now, and says which evacuations
/// to open, which to end and how the open ones stand. A copy on a draining host is evacuated like a
/// disallowed one: the operator asked for the site to be emptied. Copies of datasets the verdicts do not cover
/// (registered since they were made) are left for the next review.
public struct EvacuationReview {
    private let verdicts: [String: StorageVerdict]
    private let hosts: [String: (host: StorageHost, site: Site)]
    private let now: Date
    private let newID: () -> String
    /// The open evacuations whose copy has not been reviewed yet.
    private var openByCopy: [String: Evacuation]

    public init(
        verdicts: [String: StorageVerdict],
        topology: Topology,
        open: [Evacuation],
        at now: Date,
        newID: @escaping () -> String = { Identifier.random(prefix: "evac-", length: 16) }
    ) {
        self.verdicts = verdicts
        self.hosts = topology.hostsWithSites
        self.now = now
        self.newID = newID
        self.openByCopy = Dictionary(
            open.map { (Self.key($0.objectID, $0.hostID), $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The changes `copies` call for. Every recorded copy is to be reviewed once, over as many calls
    /// as it takes (a batch of copies at a time), before ``finish()``.
    public mutating func review(_ copies: some Sequence<CopyHolding>) -> [EvacuationChange] {
        var changes: [EvacuationChange] = []
        for copy in copies {
            // Taken out first: a copy still recorded is not gone, even when it cannot be judged now.
            let existing = openByCopy.removeValue(forKey: Self.key(copy.objectID, copy.hostID))
            guard let verdict = verdicts[copy.datasetID], let (host, site) = hosts[copy.hostID] else { continue }
            let allowed = verdict.policy.permitsStorage(at: site) && host.status != .draining
            guard var evacuation = existing else {
                guard !allowed else { continue }
                var started = Evacuation(
                    id: newID(), objectID: copy.objectID, datasetID: copy.datasetID,
                    ownerAgency: verdict.ownerAgency, home: verdict.policy.home, hostID: copy.hostID,
                    siteID: site.id, jurisdiction: site.jurisdiction,
                    reason: Self.reason(verdict.policy, host: host, site: site), startedAt: now,
                    deadline: now.addingTimeInterval(TimeInterval(verdict.evacuationDeadlineSeconds)),
                    quarantined: !verdict.hasAllowedPlace
                )
                changes.append(EvacuationChange(started, .started, at: now))
                if started.deadline < now {
                    started.deadlineMissedAt = now
                    changes.append(EvacuationChange(started, .deadlineMissed, at: now))
                }
                continue
            }
            if allowed {
                changes.append(EvacuationChange(evacuation.withdrawn(at: now), .withdrawn, at: now))
                continue
            }
            if !verdict.hasAllowedPlace && evacuation.quarantinedSince == nil {
                evacuation.quarantinedSince = now
                evacuation.state = .quarantined
                changes.append(EvacuationChange(evacuation, .quarantined, at: now))
            } else if verdict.hasAllowedPlace && evacuation.quarantinedSince != nil {
                evacuation.quarantinedSince = nil
                evacuation.state = .moving
                changes.append(EvacuationChange(evacuation, .quarantineLifted, at: now))
            }
            if evacuation.deadline < now && evacuation.deadlineMissedAt == nil {
                evacuation.deadlineMissedAt = now
                changes.append(EvacuationChange(evacuation, .deadlineMissed, at: now))
            }
        }
        return changes
    }

    /// After every copy has been reviewed: the open evacuations whose copy is no longer recorded though
    /// it was never released (its host's inventory lost it, or its dataset was deleted). Not an
    /// evacuation done: recorded as lost.
    public mutating func finish() -> [EvacuationChange] {
        let lost = openByCopy.values.sorted { $0.id < $1.id }.map { EvacuationChange($0.lost(at: now), .lost, at: now) }
        openByCopy = [:]
        return lost
    }

    private static func key(_ objectID: String, _ hostID: String) -> String { "\(objectID) \(hostID)" }

    private static func reason(_ policy: EvaluatedPolicy, host: StorageHost, site: Site) -> String {
        if let verdict = policy.storage.first(where: { $0.jurisdiction == site.jurisdiction }), !verdict.allowed {
            return "\(site.jurisdiction.rawValue): \(verdict.reason.detail)"
        }
        if policy.permitsStorage(at: site) && host.status == .draining {
            return "host \(host.id) is being drained"
        }
        if site.embassyOf != nil && site.embassyOf != policy.home {
            return "\(site.id) is another state's data embassy"
        }
        let allowed = policy.allowed(.storage).map(\.rawValue).sorted().joined(separator: ", ")
        return
            "dataset \(policy.datasetID) may be stored in \(allowed.isEmpty ? "no jurisdiction" : allowed), not at \(site.id) (\(site.jurisdiction.rawValue))"
    }
}
