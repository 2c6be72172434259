import DaulatCore
import Foundation
import Hummingbird

/// Disaster-recovery activations: an operator declares one for a dataset, for a stated reason and until
/// a stated time, and may end it early. While one is in force the dataset's keys may be opened at its
/// home state's data embassy, for disaster recovery only (``CustodyRule``). Declaring and ending are
/// audited; anyone who may see the dataset may see its activations.
struct DisasterRecoveryController<Store: DaulatStore>: Sendable {
    let store: Store
    let clock: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<ControlPlaneContext>) {
        group.get("datasets/:id/disaster-recovery") { _, context in
            let dataset = try await store.dataset(
                id: try context.parameters.require("id"), visibleTo: try context.caller())
            let activations = try await store.disasterRecoveryActivations(datasetID: dataset.id)
            let now = clock()
            return try JSONResponse.make(
                DisasterRecoveryList(
                    datasetID: dataset.id, inForce: activations.contains { $0.isInForce(at: now) },
                    activations: activations))
        }
        group.post("datasets/:id/disaster-recovery") { request, context in
            let caller = try context.requireOperator()
            let dataset = try await store.dataset(id: try context.parameters.require("id"), visibleTo: caller)
            let body = try await RequestBody.decode(Strict<DisasterRecoveryRequest>.self, from: request).value
            let activation = DisasterRecoveryActivation(
                id: Identifier.random(prefix: "dr-", length: 20), datasetID: dataset.id, reason: body.reason,
                declaredBy: caller.auditActor, declaredAt: CanonicalJSON.rounded(clock()),
                until: CanonicalJSON.rounded(body.until))
            try activation.validate()
            try await store.declareDisasterRecovery(activation, actor: caller.auditActor)
            return try JSONResponse.make(activation, status: .created)
        }
        group.delete("datasets/:id/disaster-recovery") { _, context in
            let caller = try context.requireOperator()
            let dataset = try await store.dataset(id: try context.parameters.require("id"), visibleTo: caller)
            return try JSONResponse.make(
                try await store.endDisasterRecovery(
                    datasetID: dataset.id, at: CanonicalJSON.rounded(clock()), actor: caller.auditActor))
        }
    }
}
