import DaulatCore
import Foundation
import Hummingbird

/// `GET /v1/evacuations`: copies that had to leave a host, newest first — where they were, why, the
/// deadline, whether it was met, and which are quarantined now. Operators see all; an owner its
/// agency's; a regulator those from or of its jurisdiction.
struct EvacuationController<Store: DaulatStore>: Sendable {
    let store: Store
    let tree: AuditTree<Store>
    let clock: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<ControlPlaneContext>) {
        group.get("evacuations") { request, context in
            let caller = try context.caller()
            let parameters = request.uri.queryParameters
            let datasetID = parameters["dataset"].map(String.init)
            let openOnly: Bool
            switch parameters["state"].map(String.init) ?? "all" {
            case "all": openOnly = false
            case "open": openOnly = true
            default: throw APIError.invalidParameter("'state' must be 'open' or 'all'")
            }
            let limit = try PageLimit.parse(parameters["limit"])
            if let datasetID, try await store.dataset(id: datasetID) != nil {
                _ = try await store.dataset(id: datasetID, visibleTo: caller)
            }
            // Filtered after reading: an owner or regulator sees what concerns it among the latest 10,000.
            let visible = try await store.evacuations(
                EvacuationQuery(
                    datasetID: datasetID, openOnly: openOnly, limit: caller.role == .operator ? limit : 10_000)
            ).filter { Self.concerns($0, caller) }
            if let datasetID, visible.isEmpty, try await store.dataset(id: datasetID) == nil {
                throw APIError.notFound("dataset", datasetID)
            }
            return try JSONResponse.make(["evacuations": Array(visible.prefix(limit))])
        }
        group.get("evacuations/:id") { _, context in
            let caller = try context.caller()
            let id = try context.parameters.require("id")
            guard let evacuation = try await store.evacuation(id: id), Self.concerns(evacuation, caller) else {
                throw APIError.notFound("evacuation", id)
            }
            return try JSONResponse.make(evacuation)
        }
        group.get("evacuations/:id/receipt") { _, context in
            let caller = try context.caller()
            let id = try context.parameters.require("id")
            guard let evacuation = try await store.evacuation(id: id), Self.concerns(evacuation, caller) else {
                throw APIError.notFound("evacuation", id)
            }
            guard evacuation.endedAt != nil else {
                throw APIError(
                    .conflict, code: "evacuation_open",
                    message: "evacuation '\(id)' has not ended; its receipt is issued once the copy has left")
            }
            return try JSONResponse.make(try await receipt(for: evacuation))
        }
    }

    /// The ended evacuation, signed with the audit entries that recorded it and the copy's release or
    /// loss, each proven in the log a fresh head signs.
    private func receipt(for evacuation: Evacuation) async throws -> SignedEvacuationReceipt {
        let head = try await tree.publish(at: clock())
        let merkle = try await tree.tree(size: head.size)
        var cited: [CitedEntry] = []
        for entry in try await store.auditEntries(
            subjectKind: "dataset", subjectID: evacuation.datasetID, until: evacuation.endedAt ?? clock())
        where entry.at >= evacuation.startedAt {
            let concerns: Bool
            switch entry.action {
            case let action where action.hasPrefix("evacuation."):
                concerns =
                    (try? entry.after.map { try CanonicalJSON.decode(Evacuation.self, from: $0) })??.id
                    == evacuation.id
            case "object.copy_released", "object.copy_lost":
                let event = CopyEvent.of(entry)
                concerns = event?.object == evacuation.objectID && event?.host == evacuation.hostID
            default:
                concerns = false
            }
            guard concerns else { continue }
            let position = Int(try await store.auditPosition(sequence: entry.sequence))
            guard position < Int(head.size) else { continue }
            cited.append(AuditTree<Store>.cite(entry, at: position, in: merkle, head: head))
        }
        return try tree.sign(EvacuationReceipt(evacuation: evacuation, treeHead: head, citedEntries: cited))
    }

    static func concerns(_ evacuation: Evacuation, _ caller: APIToken) -> Bool {
        switch caller.role {
        case .operator: true
        case .owner: evacuation.ownerAgency == caller.agency
        case .regulator: evacuation.home == caller.jurisdiction || evacuation.jurisdiction == caller.jurisdiction
        }
    }
}
