import DaulatCore
import Foundation
import Hummingbird

/// `GET /v1/datasets/{id}/history?at=TIME`: where the dataset's copies were at that time, replayed
/// from the audit log. Anyone who may see the dataset may ask.
struct HistoryController<Store: DaulatStore>: Sendable {
    let store: Store
    let clock: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<ControlPlaneContext>) {
        group.get("datasets/:id/history") { request, context in
            let dataset = try await store.dataset(
                id: try context.parameters.require("id"), visibleTo: try context.caller())
            let at = try request.uri.queryParameters["at"].map(InstantParameter.parse) ?? clock()
            let entries = try await store.auditEntries(subjectKind: "dataset", subjectID: dataset.id, until: at)
            return try JSONResponse.make(DatasetLocation.replay(entries, of: dataset.id, at: CanonicalJSON.rounded(at)))
        }
    }
}
