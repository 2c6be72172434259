import DaulatCore
import Hummingbird

/// `GET /v1/evacuations`: copies that had to leave a host, newest first — where they were, why, the
/// deadline, whether it was met, and which are quarantined now. Operators see all; an owner its
/// agency's; a regulator those from or of its jurisdiction.
struct EvacuationController<Store: DaulatStore>: Sendable {
    let store: Store

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
    }

    static func concerns(_ evacuation: Evacuation, _ caller: APIToken) -> Bool {
        switch caller.role {
        case .operator: true
        case .owner: evacuation.ownerAgency == caller.agency
        case .regulator: evacuation.home == caller.jurisdiction || evacuation.jurisdiction == caller.jurisdiction
        }
    }
}
