import DaulatCore
import Foundation
import Hummingbird

/// `/v1/agreements`: operators draft agreements and move them through their life; every token reads them.
struct AgreementController<Store: DaulatStore>: Sendable {
    let store: Store
    let reconciler: PlacementReconciler<Store>

    func addRoutes(to group: RouterGroup<ControlPlaneContext>) {
        group.get("agreements") { _, _ in try JSONResponse.make(["agreements": try await store.agreements()]) }
        group.get("agreements/:id") { _, context in
            let id = try context.parameters.require("id")
            guard let agreement = try await store.agreement(id: id) else { throw APIError.notFound("agreement", id) }
            return try JSONResponse.make(agreement)
        }
        group.post("agreements") { request, context in
            let caller = try context.requireOperator()
            let body = try await RequestBody.decode(Strict<CreateAgreementRequest>.self, from: request).value
            let agreement = Agreement(
                id: body.id, name: body.name, parties: body.parties, classifications: body.classifications,
                purposes: body.purposes, from: CanonicalJSON.rounded(body.from), until: body.until.map(CanonicalJSON.rounded),
                status: .draft
            )
            try agreement.validate(in: try await store.alliance())
            do {
                try await store.addAgreement(agreement, actor: caller.auditActor)
            } catch StoreError.conflict {
                throw APIError.conflict("agreement '\(agreement.id)' already exists")
            }
            return try JSONResponse.make(agreement, status: .created)
        }
        for action in AgreementAction.allCases {
            group.post("agreements/:id/\(action.rawValue)") { _, context in
                let caller = try context.requireOperator()
                let id = try context.parameters.require("id")
                let agreement = try await store.transitionAgreement(id: id, action: action, actor: caller.auditActor)
                reconciler.requestRecompute()
                return try JSONResponse.make(agreement)
            }
        }
    }
}
