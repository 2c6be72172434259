import Crypto
import DaulatCore
import Foundation
import HTTPTypes
import Hummingbird

/// `/v1/datasets`: data owners register datasets, read where they are placed, change their policy and
/// delete them; operators see all; regulators see what concerns their jurisdiction.
struct DatasetController<Store: DaulatStore>: Sendable {
    let store: Store
    let placements: PlacementService<Store>
    /// Told of every policy change and deletion, so that copies the change disallows are evacuated.
    let reconciler: PlacementReconciler<Store>
    let clock: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<ControlPlaneContext>) {
        group.post("datasets", use: register)
        group.get("datasets", use: list)
        group.get("datasets/:id", use: show)
        group.put("datasets/:id/policy", use: changePolicy)
        group.delete("datasets/:id", use: delete)
    }

    @Sendable func register(_ request: Request, context: ControlPlaneContext) async throws -> Response {
        let caller = try context.caller()
        guard caller.role != .regulator else { throw APIError.forbidden("regulator tokens are read-only") }
        let body = try await RequestBody.decode(Strict<RegisterDatasetRequest>.self, from: request).value
        let agency: String
        switch caller.role {
        case .owner:
            let own = caller.agency ?? ""
            if let requested = body.ownerAgency, requested != own {
                throw APIError.forbidden("an owner token registers datasets for its own agency ('\(own)') only")
            }
            agency = own
        default:
            guard let requested = body.ownerAgency else {
                throw APIError.invalidField("'ownerAgency' is required when an operator registers a dataset")
            }
            agency = requested
        }
        try Identifier.validate(body.name, what: "dataset name")
        try Identifier.validate(agency, what: "agency")
        let policy = body.policy?.policy ?? ResidencyPolicy()
        let claim = try idempotencyClaim(request, caller: caller, body: body, agency: agency)
        let now = CanonicalJSON.rounded(clock())
        let dataset = Dataset(
            id: Self.newID(), name: body.name, ownerAgency: agency, home: body.home,
            classification: body.classification, policy: policy, createdAt: now, updatedAt: now
        )
        // Planned from the last snapshot without a round trip to check it is current: the store refuses
        // the write if the catalog has moved, and a refusal by rules that may be stale is checked again.
        var snapshot = try await placements.lastSnapshot()
        var checkedCurrent = false
        var attempt = 1
        while true {
            let evaluated: EvaluatedPolicy
            let placement: Placement
            let outcome: DatasetCreation
            do {
                try snapshot.evaluator.validate(policy: policy, home: body.home, classification: body.classification)
                evaluated = try snapshot.evaluator.evaluate(dataset, at: now)
                placement = snapshot.planner.plan(evaluated, at: now)
                outcome = try await create(
                    dataset, placement: placement, snapshot: snapshot, claim: claim, caller: caller)
            } catch let error as DomainError where !checkedCurrent {
                let current = try await placements.snapshot()
                checkedCurrent = true
                guard current.catalogVersion != snapshot.catalogVersion else { throw error }
                snapshot = current
                continue
            } catch StoreError.catalogChanged where attempt < 3 {
                // Rules, topology or agreements changed while this was planned: plan again from them.
                snapshot = try await placements.snapshot()
                checkedCurrent = true
                attempt += 1
                continue
            }
            switch outcome {
            case .created(let created):
                return try JSONResponse.make(
                    DatasetView(dataset: created, evaluatedPolicy: evaluated, placement: placement), status: .created)
            case .replayed(let earlier):
                return try JSONResponse.make(try await view(of: earlier))
            }
        }
    }

    private func create(
        _ dataset: Dataset, placement: Placement, snapshot: PlacementSnapshot, claim: IdempotencyClaim?,
        caller: APIToken
    )
        async throws -> DatasetCreation
    {
        let conflict = APIError.conflict(
            "agency '\(dataset.ownerAgency)' already has a dataset named '\(dataset.name)'")
        do {
            return try await store.createDataset(
                dataset, placement: placement, plannedAtCatalogVersion: snapshot.catalogVersion, idempotency: claim,
                actor: caller.auditActor
            )
        } catch StoreError.conflict {
            // A concurrent retry with the same key may have won the race; if so, this is its replay.
            guard let claim else { throw conflict }
            do {
                return try await store.createDataset(
                    dataset, placement: placement, plannedAtCatalogVersion: snapshot.catalogVersion, idempotency: claim,
                    actor: caller.auditActor
                )
            } catch StoreError.conflict {
                throw conflict
            }
        }
    }

    @Sendable func list(_ request: Request, context: ControlPlaneContext) async throws -> Response {
        let caller = try context.caller()
        let parameters = request.uri.queryParameters
        var query = DatasetQuery()
        query.limit = try PageLimit.parse(parameters["limit"], default: query.limit)
        query.cursor = parameters["cursor"].map(String.init)
        query.name = try Self.identifierParameter(parameters["name"], "name")
        query.classification = try Self.identifierParameter(parameters["classification"], "classification")
        if let home = parameters["home"] {
            do {
                query.home = try JurisdictionCode(String(home))
            } catch {
                throw APIError.invalidParameter(error.message)
            }
        }
        query.ownerAgency = try Self.identifierParameter(parameters["owner"], "owner")
        switch caller.role {
        case .operator: break
        case .owner: query.ownerAgency = caller.agency ?? ""
        case .regulator: query.concerningJurisdiction = caller.jurisdiction
        }
        let page = try await store.datasets(query)
        return try JSONResponse.make(DatasetList(datasets: page.datasets, nextCursor: page.nextCursor))
    }

    @Sendable func show(_ request: Request, context: ControlPlaneContext) async throws -> Response {
        let caller = try context.caller()
        let dataset = try await visibleDataset(context, caller: caller)
        return try JSONResponse.make(try await view(of: dataset))
    }

    @Sendable func changePolicy(_ request: Request, context: ControlPlaneContext) async throws -> Response {
        let caller = try context.caller()
        var dataset = try await visibleDataset(context, caller: caller)
        guard caller.canChange(dataset) else { throw APIError.forbidden("regulator tokens are read-only") }
        let input = try await RequestBody.decode(PolicyInput.self, from: request)
        let snapshot = try await placements.snapshot()
        let (evaluator, planner) = (snapshot.evaluator, snapshot.planner)
        try evaluator.validate(policy: input.policy, home: dataset.home, classification: dataset.classification)
        let now = CanonicalJSON.rounded(clock())
        dataset.policy = input.policy
        dataset.updatedAt = now
        let evaluated = try evaluator.evaluate(dataset, at: now)
        let placement = planner.plan(evaluated, at: now)
        try await store.updateDataset(dataset, placement: placement, actor: caller.auditActor)
        reconciler.requestRecompute()
        return try JSONResponse.make(DatasetView(dataset: dataset, evaluatedPolicy: evaluated, placement: placement))
    }

    @Sendable func delete(_ request: Request, context: ControlPlaneContext) async throws -> Response {
        let caller = try context.caller()
        let dataset = try await visibleDataset(context, caller: caller)
        guard caller.canChange(dataset) else { throw APIError.forbidden("regulator tokens are read-only") }
        try await store.deleteDataset(id: dataset.id, actor: caller.auditActor)
        reconciler.requestRecompute()
        return Response(status: .noContent)
    }

    private func visibleDataset(_ context: ControlPlaneContext, caller: APIToken) async throws -> Dataset {
        try await store.dataset(id: try context.parameters.require("id"), visibleTo: caller)
    }

    private func view(of dataset: Dataset) async throws -> DatasetView {
        return DatasetView(
            dataset: dataset,
            evaluatedPolicy: try await placements.snapshot().evaluator.evaluate(dataset, at: clock()),
            placement: try await store.placement(datasetID: dataset.id)
        )
    }

    private func idempotencyClaim(_ request: Request, caller: APIToken, body: RegisterDatasetRequest, agency: String)
        throws
        -> IdempotencyClaim?
    {
        guard let key = request.headers[.idempotencyKey] else { return nil }
        guard (1...200).contains(key.count) else {
            throw APIError.invalidParameter("the Idempotency-Key header must be 1-200 characters")
        }
        var canonical = body
        canonical.ownerAgency = agency
        let digest = Hex.encode(SHA256.hash(data: try CanonicalJSON.encoder().encode(canonical)))
        return IdempotencyClaim(principalID: caller.id, key: key, requestDigest: digest)
    }

    /// A filter that names something by identifier; anything else could match nothing and is refused.
    static func identifierParameter(_ value: Substring?, _ name: String) throws -> String? {
        guard let value else { return nil }
        do {
            try Identifier.validate(String(value), what: "'\(name)'")
        } catch {
            throw APIError.invalidParameter(error.message)
        }
        return String(value)
    }

    static func newID() -> String {
        Identifier.random(prefix: "ds-", length: 20)
    }
}

/// `GET /v1/datasets`.
public struct DatasetList: Codable, Sendable {
    public var datasets: [Dataset]
    public var nextCursor: String?
}

extension HTTPField.Name {
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
}
