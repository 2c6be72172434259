import DaulatCore
import Foundation
import Hummingbird

/// Crypto-shredding on the public API. The owning agency or an operator asks for it; it executes when
/// its pending window ends, unless cancelled first (``ShredExecutor`` carries it out).
struct ShredController<Store: DaulatStore>: Sendable {
    let store: Store
    /// The server's pending window: a request may ask for a longer one, never a shorter.
    let window: TimeInterval
    let clock: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<ControlPlaneContext>) {
        group.post("datasets/:id/shred") { request, context in
            let caller = try context.caller()
            let dataset = try await store.dataset(id: try context.parameters.require("id"), visibleTo: caller)
            guard caller.canChange(dataset) else { throw APIError.forbidden("regulator tokens are read-only") }
            let body = try await RequestBody.decode(Strict<ShredRequest>.self, from: request).value
            let seconds = body.windowSeconds.map(TimeInterval.init) ?? window
            guard seconds >= window, seconds <= DatasetShred.longestWindow else {
                throw APIError.invalidField(
                    "'windowSeconds' must be from \(Int(window)) (this server's pending window) to \(Int(DatasetShred.longestWindow))"
                )
            }
            let now = CanonicalJSON.rounded(clock())
            let shred = DatasetShred(
                id: Identifier.random(prefix: "sh-", length: 20), datasetID: dataset.id,
                requestedBy: caller.auditActor, requestedAt: now, executeAt: now.addingTimeInterval(seconds))
            try await store.requestShred(shred, actor: caller.auditActor)
            return try JSONResponse.make(shred, status: .created)
        }
        group.get("datasets/:id/shred") { _, context in
            let dataset = try await store.dataset(
                id: try context.parameters.require("id"), visibleTo: try context.caller())
            let holders = Set(try await store.objects(datasetID: dataset.id).flatMap(\.holders))
            return try JSONResponse.make(
                ShredStatus(
                    datasetID: dataset.id, shreds: try await store.shreds(datasetID: dataset.id),
                    destructions: try await store.custodyTasks(datasetID: dataset.id).filter { $0.kind == .destroy },
                    holders: holders.sorted()))
        }
        group.delete("datasets/:id/shred") { _, context in
            let caller = try context.caller()
            let dataset = try await store.dataset(id: try context.parameters.require("id"), visibleTo: caller)
            guard caller.canChange(dataset) else { throw APIError.forbidden("regulator tokens are read-only") }
            return try JSONResponse.make(
                try await store.cancelShred(
                    datasetID: dataset.id, at: CanonicalJSON.rounded(clock()), actor: caller.auditActor))
        }
    }
}
