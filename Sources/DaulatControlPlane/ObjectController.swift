import DaulatCore
import DaulatPKI
import Foundation
import Hummingbird

/// `/v1/datasets/{id}/objects`: a data owner registers an object and is sent, with a signed ticket, to
/// an agent in an allowed place to upload it; reading it back sends them to an allowed holder. The
/// control plane never sees the bytes.
struct ObjectController<Store: DaulatStore>: Sendable {
    let store: Store
    let placements: PlacementService<Store>
    let certificates: AgentCertificates<Store>
    let changes: AssignmentChanges
    let clock: @Sendable () -> Date

    static var largestObject: Int64 { 1 << 40 }

    func addRoutes(to group: RouterGroup<ControlPlaneContext>) {
        group.post("datasets/:id/objects", use: create)
        group.get("datasets/:id/objects", use: list)
        group.post("datasets/:id/objects/:objectId/download", use: download)
    }

    @Sendable func create(_ request: Request, context: ControlPlaneContext) async throws -> Response {
        let caller = try context.caller()
        let dataset = try await store.dataset(id: try context.parameters.require("id"), visibleTo: caller)
        guard caller.canChange(dataset) else { throw APIError.forbidden("regulator tokens are read-only") }
        try await store.refuseIfShredded(dataset.id, pendingToo: true)
        let body = try await RequestBody.decode(Strict<CreateObjectRequest>.self, from: request).value
        let keys = body.keys.map(\.value)
        guard Hex.isSHA256(body.sha256) else {
            throw APIError.invalidField("'sha256' must be 64 lowercase hex digits")
        }
        guard (1...Self.largestObject).contains(body.sizeBytes) else {
            throw APIError.invalidField("'sizeBytes' must be from 1 to \(Self.largestObject)")
        }
        guard StoredObject.isValidID(body.id) else {
            throw APIError.invalidField("'id' must be 'obj-' and 20 lowercase hex digits")
        }
        let now = CanonicalJSON.rounded(clock())
        let policy = try await placements.snapshot().evaluator.evaluate(dataset, at: now)
        try ObjectKeyCheck(
            datasetID: dataset.id, keyJurisdictions: policy.allowed(.keys), split: policy.keySplit,
            custodians: try await store.custodians(),
            reporting: try await CustodianLiveness(store: store).reporting(at: now)
        ).check(keys)
        let candidates = try await store.placement(datasetID: dataset.id)?.hostIDs ?? []
        let agent = try liveAllowedAgent(
            among: candidates, allowedBy: policy, agents: try await ReportingAgents(store: store, at: now))
        let object = StoredObject(
            id: body.id, datasetID: dataset.id, sha256: body.sha256, sizeBytes: body.sizeBytes, createdAt: now)
        do {
            try await store.addObject(object, keys: keys, actor: caller.auditActor)
        } catch StoreError.conflict {
            throw APIError(.conflict, code: "object_exists", message: "an object '\(body.id)' already exists")
        }
        changes.signal()
        let allowed = policy.allowed(.storage).sorted { $0.rawValue < $1.rawValue }
        return try JSONResponse.make(
            try transfer(
                .upload, of: object, to: agent, allowedStorage: allowed, home: dataset.home,
                classification: dataset.classification, at: now), status: .created)
    }

    @Sendable func list(_ request: Request, context: ControlPlaneContext) async throws -> Response {
        let dataset = try await store.dataset(id: try context.parameters.require("id"), visibleTo: try context.caller())
        return try JSONResponse.make(ObjectList(objects: try await store.objects(datasetID: dataset.id)))
    }

    @Sendable func download(_ request: Request, context: ControlPlaneContext) async throws -> Response {
        let caller = try context.caller()
        let dataset = try await store.dataset(id: try context.parameters.require("id"), visibleTo: caller)
        guard caller.canChange(dataset) else {
            throw APIError.forbidden("only the owning agency or an operator reads objects")
        }
        let objectID = try context.parameters.require("objectId")
        guard let object = try await store.object(id: objectID), object.datasetID == dataset.id else {
            throw APIError.notFound("object", objectID)
        }
        try await store.refuseIfShredded(dataset.id)
        guard !object.holders.isEmpty else {
            throw APIError(
                .conflict, code: "object_not_stored",
                message: "no agent has stored object '\(objectID)' yet; upload it first")
        }
        let now = CanonicalJSON.rounded(clock())
        // A copy is read only where the dataset may be stored now and not while quarantined: one that
        // has nowhere allowed to go is kept, not served.
        let quarantined = Set(
            try await store.evacuations(EvacuationQuery(objectID: object.id, openOnly: true))
                .filter { $0.quarantinedSince != nil }.map(\.hostID))
        let policy = try await placements.snapshot().evaluator.evaluate(dataset, at: now)
        let agents = try await ReportingAgents(store: store, at: now)
        let hosts = agents.topology.hostsWithSites
        let readable = object.holders.filter { holder in
            !quarantined.contains(holder) && (hosts[holder].map { policy.permitsStorage(at: $0.site) } ?? false)
        }
        guard !readable.isEmpty else {
            throw APIError(
                .conflict, code: "object_quarantined",
                message:
                    "every copy of object '\(objectID)' is where dataset '\(dataset.id)' may no longer be stored, and no allowed place can take it yet; it is quarantined and cannot be read (see GET /v1/evacuations?dataset=\(dataset.id))"
            )
        }
        let agent = try liveAllowedAgent(among: readable, allowedBy: policy, agents: agents)
        return try JSONResponse.make(try transfer(.download, of: object, to: agent, at: now))
    }

    /// The first of `hosts` whose agent may take the transfer now.
    private func liveAllowedAgent(among hosts: [String], allowedBy policy: EvaluatedPolicy, agents: ReportingAgents)
        throws -> ReportingAgents.Agent
    {
        guard let agent = agents.first(among: hosts, allowedBy: policy) else {
            throw APIError(
                .serviceUnavailable, code: "no_agent_available",
                message: "no agent in a place this dataset may be stored is reporting right now; try again shortly"
            )
        }
        return agent
    }

    private func transfer(
        _ operation: ObjectTicket.Operation, of object: StoredObject, to agent: ReportingAgents.Agent,
        allowedStorage: [JurisdictionCode]? = nil, home: JurisdictionCode? = nil, classification: String? = nil,
        at now: Date
    ) throws -> ObjectTransfer {
        let authority = try certificates.authority()
        let ticket = ObjectTicket(
            operation, of: object, at: agent.host, allowedStorage: allowedStorage, home: home,
            classification: classification, issuedAt: now)
        return ObjectTransfer(
            object: object, host: agent.host, peerName: agent.peerName, url: "\(agent.url)/objects/\(object.id)",
            ticket: try SignedTicket.sign(ticket, with: authority),
            caCertificate: try authority.certificatePEM
        )
    }
}
