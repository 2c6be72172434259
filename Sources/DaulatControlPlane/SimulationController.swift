import DaulatCore
import Foundation
import Hummingbird

/// What-if, for operators: what suspending an agreement or draining a site would do to every dataset's
/// copies, computed on a copy of the rules and topology, changing nothing.
struct SimulationController<Store: DaulatStore>: Sendable {
    let store: Store
    let placements: PlacementService<Store>
    let clock: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<ControlPlaneContext>) {
        group.get("simulations/suspend-agreement") { request, context in
            _ = try context.requireOperator()
            let id = try Self.required(request.uri.queryParameters["agreement"], "agreement")
            let snapshot = try await placements.snapshot()
            guard snapshot.evaluator.agreements.contains(where: { $0.id == id }) else {
                throw APIError.notFound("agreement", id)
            }
            let agreements = snapshot.evaluator.agreements.map { agreement in
                var changed = agreement
                if changed.id == id, changed.status == .inForce { changed.status = .suspended }
                return changed
            }
            return try JSONResponse.make(
                try await simulate(
                    "suspend agreement \(id)",
                    evaluator: PolicyEvaluator(alliance: snapshot.evaluator.alliance, agreements: agreements),
                    topology: try await store.topology(), drained: []))
        }
        group.get("simulations/drain-site") { request, context in
            _ = try context.requireOperator()
            let id = try Self.required(request.uri.queryParameters["site"], "site")
            var topology = try await store.topology()
            guard topology.sites.contains(where: { $0.id == id }) else { throw APIError.notFound("site", id) }
            var drained: Set<String> = []
            for index in topology.hosts.indices where topology.hosts[index].siteID == id {
                topology.hosts[index].status = .draining
                drained.insert(topology.hosts[index].id)
            }
            return try JSONResponse.make(
                try await simulate(
                    "drain site \(id)", evaluator: try await placements.snapshot().evaluator, topology: topology,
                    drained: drained))
        }
    }

    /// Every dataset planned under `evaluator` and `topology` as they would be, against the rules and
    /// topology as they are: a copy counts when it may stay where it is now and could not then (its
    /// place disallowed, or its host drained); with no allowed place left it would be quarantined.
    /// Datasets being shredded, and copies on hosts the topology no longer has, are left out.
    private func simulate(_ change: String, evaluator: PolicyEvaluator, topology: Topology, drained: Set<String>)
        async throws -> SimulationResult
    {
        let now = clock()
        let current = try await placements.snapshot().evaluator
        let planner = PlacementPlanner(topology: topology)
        let places = try await store.topology().hostsWithSites
        let shredding = try await store.shreddingDatasets()
        var affected: [SimulationResult.Dataset] = []
        try await store.forEachDataset(DatasetQuery()) { dataset in
            guard !shredding.contains(dataset.id) else { return }
            let before = try current.evaluate(dataset, at: now)
            let after = try evaluator.evaluate(dataset, at: now)
            var copies = 0
            var bytes: Int64 = 0
            for object in try await store.objects(datasetID: dataset.id) {
                for holder in object.holders {
                    guard let place = places[holder], place.host.status != .draining,
                        before.permitsStorage(at: place.site)
                    else { continue }
                    guard drained.contains(holder) || !after.permitsStorage(at: place.site) else { continue }
                    copies += 1
                    bytes += object.sizeBytes
                }
            }
            guard copies > 0 else { return }
            affected.append(
                SimulationResult.Dataset(
                    datasetID: dataset.id, home: dataset.home, copiesToMove: copies, bytesToMove: bytes,
                    quarantined: planner.plan(after, at: now).choices.isEmpty))
        }
        return SimulationResult(
            change: change, datasets: affected,
            measuredBytesPerSecond: try await measuredRate(since: now.addingTimeInterval(-86_400)))
    }

    /// Bytes per second of the copies recorded since `since`, from the first to the last; nil with
    /// fewer than two, or over less than a minute, which would say nothing of a sustained rate.
    private func measuredRate(since: Date) async throws -> Int64? {
        let copies = try await store.copiesStored(since: since)
        guard copies.count >= 2, let first = copies.first?.at, let last = copies.last?.at,
            last.timeIntervalSince(first) >= Self.shortestMeasurement
        else { return nil }
        // The first copy's bytes were made before the span began.
        return Int64(Double(copies.dropFirst().reduce(0) { $0 + $1.sizeBytes }) / last.timeIntervalSince(first))
    }

    static var shortestMeasurement: TimeInterval { 60 }

    private static func required(_ value: Substring?, _ name: String) throws -> String {
        guard let value, !value.isEmpty else { throw APIError.invalidParameter("'\(name)' is required") }
        return String(value)
    }
}
