import Crypto
import DaulatCore
import DaulatPKI
import Foundation

/// Works out, for one host, every object it should hold: the objects of the datasets placed on it,
/// each with the jurisdictions the dataset may be stored in now and, when the host lacks it, a holder
/// to copy it from with a ticket (in an allowed place when one is reporting). The result is signed for
/// the host's agent.
struct AssignmentBuilder<Store: DaulatStore>: Sendable {
    let store: Store
    let placements: PlacementService<Store>
    let certificates: AgentCertificates<Store>

    /// A host's set before signing: its revision tells whether the agent already has it, and tickets
    /// (one signature each) are made only for a set that is sent.
    struct Built {
        var set: AssignmentSet
        /// For each assignment (by index) lacking a copy here, the object and the holder to fetch it from.
        var sources: [Int: (object: StoredObject, host: String)]
    }

    func build(for hostID: String, at now: Date) async throws -> Built {
        let agents = try await ReportingAgents(store: store, at: now)
        let topology = agents.topology
        guard let host = topology.hosts.first(where: { $0.id == hostID }),
            let site = topology.sites.first(where: { $0.id == host.siteID })
        else {
            throw StoreError.notFound(kind: "host", id: hostID)
        }
        let evaluator = try await placements.snapshot().evaluator
        var assignments: [Assignment] = []
        var sources: [Int: (object: StoredObject, host: String)] = [:]
        var fingerprint: [String] = [site.jurisdiction.rawValue]
        // Seven reads whatever the number of objects: the datasets placed here, their objects, the copies
        // held here, where the datasets of those are placed, which are being shredded, and what the
        // states signed (their records, the alliance's rules).
        async let placedDatasets = store.datasets(placedOn: hostID)
        async let placedObjects = store.objects(placedOn: hostID)
        async let heldObjects = store.objects(heldBy: hostID)
        async let placedHosts = store.placedHosts(ofDatasetsHeldBy: hostID)
        async let records = store.orderedJurisdictionRecords()
        async let rules = store.allianceRulesInForce()
        var policies: [String: (policy: EvaluatedPolicy, allowed: [JurisdictionCode])] = [:]
        for dataset in try await placedDatasets {
            let policy = try evaluator.evaluate(dataset, at: now)
            policies[dataset.id] = (policy, policy.allowed(.storage).sorted { $0.rawValue < $1.rawValue })
        }
        for object in try await placedObjects {
            // A dataset placed here since the datasets were read waits for the next build.
            guard let (policy, allowed) = policies[object.datasetID] else { continue }
            var assignment = Assignment(
                datasetID: object.datasetID, objectID: object.id, sha256: object.sha256, sizeBytes: object.sizeBytes,
                allowedStorage: allowed, home: policy.home, classification: policy.classification
            )
            var source = "-"
            if !object.holders.contains(hostID), let holder = agents.source(among: object.holders, allowedBy: policy) {
                assignment.sourceURL = "\(holder.url)/objects/\(object.id)"
                assignment.sourcePeerName = holder.peerName
                sources[assignments.count] = (object, holder.host)
                source = holder.peerName
            }
            assignments.append(assignment)
            fingerprint.append(
                [object.id, object.sha256, allowed.map(\.rawValue).joined(separator: ","), source].joined(
                    separator: " "))
        }
        // Copies held here but placed elsewhere go by the release rule; a shredded dataset's copies all go,
        // wanted nowhere. Each copy is its object's alone: releasing it touches no other object's bytes.
        let placed = try await placedHosts
        let shredding = try await store.shreddingDatasets()
        let held = try await heldObjects
        var releases = held.filter { object in
            shredding.contains(object.datasetID)
                || ReleaseRule.mayRelease(
                    copyOn: hostID, placedOn: placed[object.datasetID] ?? [], holders: object.holders)
        }
        // And quarantined copies their home state decided to destroy, once a copy that stays exists.
        let offered = Set(releases.map(\.id))
        releases += try await CondemnedCopies(store: store).releasable(
            from: held.filter { !offered.contains($0.id) }, on: hostID)
        fingerprint += releases.map { "release \($0.id)" }
        let revoked = agents.revoked
        fingerprint += revoked.sorted { $0.key < $1.key }.map {
            "revoked \($0.key) \(CanonicalJSON.format($0.value))"
        }
        // The rules the planner used and the states' records; a change to them (a signature, an act, a
        // new record) is a new set too.
        let policy = PolicyBundle(
            alliance: evaluator.alliance, agreements: evaluator.agreements, records: try await records,
            rules: try await rules)
        fingerprint.append(Hex.encode(SHA256.hash(data: try CanonicalJSON.encoder().encode(policy))))
        let revision = Hex.encode(SHA256.hash(data: Data(fingerprint.joined(separator: "\n").utf8)))
        let set = AssignmentSet(
            hostID: hostID, jurisdiction: site.jurisdiction, revision: revision, issuedAt: now,
            assignments: assignments,
            releases: releases,
            revokedHosts: revoked,
            policy: policy
        )
        return Built(set: set, sources: sources)
    }

    /// The set with a download ticket for each object to fetch, signed for the host's agent.
    func sign(_ built: Built) throws -> String {
        let authority = try certificates.authority()
        var set = built.set
        for (index, source) in built.sources {
            set.assignments[index].sourceTicket = try SignedTicket.sign(
                ObjectTicket(
                    .download, of: source.object, at: source.host, for: set.hostID, issuedAt: set.issuedAt),
                with: authority)
        }
        return try SignedDocument.sign(set, purpose: AssignmentSet.signaturePurpose, with: authority)
    }
}
