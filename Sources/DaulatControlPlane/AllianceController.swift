import DaulatCore
import Hummingbird

/// `/v1/jurisdictions`, `/v1/groups`, `/v1/classifications`, `/v1/sites`, `/v1/hosts`: the alliance's
/// rule base and topology. Every token may read them; only operators change them.
struct AllianceController<Store: DaulatStore>: Sendable {
    let store: Store
    let reconciler: PlacementReconciler<Store>

    func addRoutes(to group: RouterGroup<ControlPlaneContext>) {
        group.get("jurisdictions") { _, _ in
            try JSONResponse.make(["jurisdictions": try await store.alliance().jurisdictions])
        }
        group.get("groups") { _, _ in try JSONResponse.make(GroupList(groups: try await groupViews())) }
        group.get("classifications") { _, _ in
            try JSONResponse.make([
                "classifications": try await store.alliance().classifications.sorted { $0.rank < $1.rank }
            ])
        }
        group.get("sites") { _, _ in try JSONResponse.make(["sites": try await store.topology().sites]) }
        group.get("hosts") { _, _ in try JSONResponse.make(["hosts": try await store.topology().hosts]) }

        group.post("jurisdictions") { request, context in
            let caller = try context.requireOperator()
            let jurisdiction = try await RequestBody.decode(Strict<Jurisdiction>.self, from: request).value
            try jurisdiction.validate()
            try await APIError.creating("jurisdiction \(jurisdiction.code)") {
                try await store.addJurisdiction(jurisdiction, actor: caller.auditActor)
            }
            return try JSONResponse.make(jurisdiction, status: .created)
        }
        group.post("groups") { request, context in
            let caller = try context.requireOperator()
            let newGroup = try await RequestBody.decode(Strict<JurisdictionGroup>.self, from: request).value
            var alliance = try await store.alliance()
            alliance.groups.append(newGroup)
            try alliance.validate()
            try await APIError.creating("group '\(newGroup.name)'") {
                try await store.addGroup(newGroup, actor: caller.auditActor)
            }
            reconciler.requestRecompute()
            return try JSONResponse.make(newGroup, status: .created)
        }
        group.post("classifications") { request, context in
            let caller = try context.requireOperator()
            let classification = try await RequestBody.decode(Strict<Classification>.self, from: request).value
            try classification.validate()
            try await APIError.creating("classification '\(classification.name)'") {
                try await store.addClassification(classification, actor: caller.auditActor)
            }
            return try JSONResponse.make(classification, status: .created)
        }
        group.post("sites") { request, context in
            let caller = try context.requireOperator()
            let site = try await RequestBody.decode(Strict<Site>.self, from: request).value
            try site.validate(in: try await store.alliance())
            try await APIError.creating("site '\(site.id)'") { try await store.addSite(site, actor: caller.auditActor) }
            reconciler.requestRecompute()
            return try JSONResponse.make(site, status: .created)
        }
        group.put("hosts/:id") { request, context in
            let caller = try context.requireOperator()
            let host = try await RequestBody.decode(Strict<StorageHost>.self, from: request).value
            let id = try context.parameters.require("id")
            guard host.id == id else {
                throw APIError.invalidField("the body's 'id' (\(host.id)) differs from the path's (\(id))")
            }
            let topology = try await store.topology()
            try host.validate(sites: topology.sites)
            // Silent is the heartbeat watch's to set and clear; an operator takes a host out as unavailable.
            if host.status == .silent, topology.hosts.first(where: { $0.id == host.id })?.status != .silent {
                throw APIError.invalidField(
                    "'status' silent is set by the control plane when a host's agent stops reporting; use unavailable")
            }
            try await store.putHost(host, actor: caller.auditActor)
            reconciler.requestRecompute()
            return try JSONResponse.make(host)
        }
    }

    /// Adds, turning a duplicate into a 409 that names the thing.
    private func groupViews() async throws -> [GroupView] {
        let alliance = try await store.alliance()
        return try alliance.groups.map { group in
            GroupView(
                name: group.name, members: group.members,
                jurisdictions: try alliance.members(ofGroup: group.name).sorted())
        }
    }
}

/// A group with its members resolved through nesting.
struct GroupView: Encodable, Sendable {
    var name: String
    var members: [String]
    var jurisdictions: [JurisdictionCode]
}

struct GroupList: Encodable, Sendable {
    var groups: [GroupView]
}
