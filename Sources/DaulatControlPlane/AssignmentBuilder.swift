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
        for datasetID in try await store.datasetIDs(placedOn: hostID) {
            guard let dataset = try await store.dataset(id: datasetID) else { continue }
            let policy = try evaluator.evaluate(dataset, at: now)
            let allowed = policy.allowed(.storage).sorted { $0.rawValue < $1.rawValue }
            for object in try await store.objects(datasetID: datasetID) {
                var assignment = Assignment(
                    datasetID: datasetID, objectID: object.id, sha256: object.sha256, sizeBytes: object.sizeBytes,
                    allowedStorage: allowed
                )
                var source = "-"
                if !object.holders.contains(hostID),
                    let holder = agents.source(among: object.holders, allowedBy: policy)
                {
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
        }
        // Copies held here but placed elsewhere go once every placed host holds one.
        var releases: [StoredObject] = []
        for object in try await store.objects(heldBy: hostID) {
            guard let placement = try await store.placement(datasetID: object.datasetID),
                !placement.hostIDs.contains(hostID),
                !placement.hostIDs.isEmpty, Set(placement.hostIDs).isSubset(of: Set(object.holders))
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
