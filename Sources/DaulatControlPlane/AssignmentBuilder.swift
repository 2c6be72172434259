import Crypto
import DaulatCore
import DaulatPKI
import Foundation

/// Works out, for one host, every object it should hold: the objects of the datasets placed on it,
/// each with the jurisdictions the dataset may be stored in now and, when the host lacks it, a holder
/// to copy it from with a ticket (in an allowed place when one is reporting). The result is signed for the host's agent.
struct AssignmentBuilder<Store: DaulatStore>: Sendable {
    let store: Store
    let placements: PlacementService<Store>
    let certificates: AgentCertificates<Store>

    static var purpose: String { "assignments" }

    func build(for hostID: String, at now: Date) async throws -> (set: AssignmentSet, signed: String) {
        let authority = try certificates.authority()
        let agents = try await ReportingAgents(store: store, at: now)
        let topology = agents.topology
        guard let host = topology.hosts.first(where: { $0.id == hostID }),
            let site = topology.sites.first(where: { $0.id == host.siteID })
        else {
            throw StoreError.notFound(kind: "host", id: hostID)
        }
        let evaluator = try await placements.snapshot().evaluator
        var assignments: [Assignment] = []
        var fingerprint: [String] = [site.jurisdiction.rawValue]
        // Three reads whatever the number of objects: the datasets placed here, their objects, and
        // where the datasets of the copies held here are placed.
        async let placedDatasets = store.datasets(placedOn: hostID)
        async let placedObjects = store.objects(placedOn: hostID)
        async let heldObjects = store.objects(heldBy: hostID)
        async let placedHosts = store.placedHosts(ofDatasetsHeldBy: hostID)
        var policies: [String: EvaluatedPolicy] = [:]
        for dataset in try await placedDatasets {
            policies[dataset.id] = try evaluator.evaluate(dataset, at: now)
        }
        for object in try await placedObjects {
            // A dataset placed here since the datasets were read waits for the next build.
            guard let policy = policies[object.datasetID] else { continue }
            let allowed = policy.allowed(.storage).sorted { $0.rawValue < $1.rawValue }
            var assignment = Assignment(
                datasetID: object.datasetID, objectID: object.id, sha256: object.sha256, sizeBytes: object.sizeBytes,
                allowedStorage: allowed
            )
            var source = "-"
            if !object.holders.contains(hostID), let holder = agents.source(among: object.holders, allowedBy: policy) {
                let ticket = ObjectTicket(.download, of: object, at: holder.host, issuedAt: now)
                assignment.sourceURL = "\(holder.url)/objects/\(object.sha256)"
                assignment.sourceTicket = try SignedTicket.sign(ticket, with: authority)
                source = holder.host
            }
            assignments.append(assignment)
            fingerprint.append(
                [object.id, object.sha256, allowed.map(\.rawValue).joined(separator: ","), source].joined(
                    separator: " "))
        }
        // Copies held here but placed elsewhere go once every placed host holds one.
        var releases: [StoredObject] = []
        let placed = try await placedHosts
        for object in try await heldObjects {
            guard let hosts = placed[object.datasetID], !hosts.contains(hostID),
                Set(hosts).isSubset(of: Set(object.holders))
            else { continue }
            releases.append(object)
            fingerprint.append("release \(object.id)")
        }
        let revision = Hex.encode(SHA256.hash(data: Data(fingerprint.joined(separator: "\n").utf8)))
        let set = AssignmentSet(
            hostID: hostID, jurisdiction: site.jurisdiction, revision: revision, issuedAt: now,
            assignments: assignments,
            releases: releases
        )
        return (set, try SignedDocument.sign(set, purpose: Self.purpose, with: authority))
    }
}
