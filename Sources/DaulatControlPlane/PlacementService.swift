import DaulatCore
import Foundation
import Synchronization

/// Evaluates policies and plans placements against the current state of the store.
///
/// The evaluator and planner are kept in memory and rebuilt only when the store's catalog version
/// moves, which every change to rules, topology or agreements does in its own transaction: one small
/// read per request instead of loading the whole alliance.
public struct PlacementService<Store: DaulatStore>: Sendable {
    public let store: Store
    private let cache = SnapshotCache()

    public init(store: Store) { self.store = store }

    /// The last snapshot built, without asking the store whether it is still current (loading one if
    /// there is none). For writes that name the snapshot's catalog version, which the store checks.
    public func lastSnapshot() async throws -> PlacementSnapshot {
        if let cached = cache.latest() { return cached }
        return try await snapshot()
    }

    /// The evaluator and planner for the alliance as it stands now.
    public func snapshot() async throws -> PlacementSnapshot {
        let version = try await store.catalogVersion()
        if let cached = cache.snapshot(at: version) { return cached }
        // Loaded after the version was read, so what is cached is at least as new as its version (a
        // write planned from it names that version and is refused if the catalog moved in between).
        async let alliance = store.alliance()
        async let agreements = store.agreements()
        async let topology = store.topology()
        let snapshot = PlacementSnapshot(
            evaluator: PolicyEvaluator(alliance: try await alliance, agreements: try await agreements),
            planner: PlacementPlanner(topology: try await topology),
            catalogVersion: version
        )
        cache.store(snapshot)
        return snapshot
    }

    /// Re-plans every dataset and stores the placements that changed. Returns the number of datasets
    /// checked and changed, the number with violations, when the next agreement boundary falls, and
    /// for each dataset where its copies may be.
    public func recomputeAll(at time: Date, actor: String) async throws -> RecomputeSummary {
        let snapshot = try await snapshot()
        let (evaluator, planner) = (snapshot.evaluator, snapshot.planner)
        var summary = RecomputeSummary(nextChange: evaluator.nextChange(after: time))
        var evaluations: [EvaluationKey: EvaluatedPolicy] = [:]
        let deadlines = Dictionary(
            evaluator.alliance.classifications.map { ($0.name, $0.evacuationDeadlineSeconds) },
            uniquingKeysWith: { first, _ in first })
        // A shredded dataset is placed nowhere: its copies are being deleted.
        let shredding = try await store.shreddingDatasets()
        try await store.forEachDataset(DatasetQuery()) { dataset in
            guard !shredding.contains(dataset.id) else { return }
            // A policy's verdicts depend on the home, classification and the dataset's own rules, not on
            // which dataset it is: evaluate each combination once per pass.
            let key = EvaluationKey(
                home: dataset.home, classification: dataset.classification, policy: dataset.policy)
            var evaluated: EvaluatedPolicy
            if let known = evaluations[key] {
                evaluated = known
            } else {
                evaluated = try evaluator.evaluate(dataset, at: time)
                evaluations[key] = evaluated
            }
            evaluated.datasetID = dataset.id
            let placement = planner.plan(evaluated, at: time)
            summary.checked += 1
            if !placement.violations.isEmpty { summary.withViolations += 1 }
            for violation in placement.violations { summary.violations[violation.kind, default: 0] += 1 }
            summary.verdicts[dataset.id] = StorageVerdict(
                policy: evaluated, ownerAgency: dataset.ownerAgency, hasAllowedPlace: !placement.choices.isEmpty,
                evacuationDeadlineSeconds: deadlines[dataset.classification]
                    ?? Classification.defaultEvacuationDeadlineSeconds
            )
            do {
                if try await store.savePlacement(placement, basedOn: dataset, actor: actor) { summary.changed += 1 }
            } catch StoreError.notFound {
                // Deleted while we were planning: nothing to place.
            }
        }
        return summary
    }
}

/// What a policy evaluation depends on besides the alliance and the time.
struct EvaluationKey: Hashable {
    let home: JurisdictionCode
    let classification: String
    let policy: ResidencyPolicy
}

/// The last snapshot built.
final class SnapshotCache: Sendable {
    private let entry = Mutex<PlacementSnapshot?>(nil)

    func snapshot(at version: Int64) -> PlacementSnapshot? {
        entry.withLock { entry in
            guard let entry, entry.catalogVersion == version else { return nil }
            return entry
        }
    }

    func latest() -> PlacementSnapshot? {
        entry.withLock { $0 }
    }

    func store(_ snapshot: PlacementSnapshot) {
        entry.withLock { $0 = snapshot }
    }
}

/// What one pass of re-planning did.
public struct RecomputeSummary: Sendable, Equatable {
    public var checked = 0
    public var changed = 0
    public var withViolations = 0
    /// How many violations of each kind the placements have, over all datasets.
    public var violations: [PlacementViolation.Kind: Int] = [:]
    public var nextChange: Date?
    /// Where each dataset's copies may be, by dataset id.
    public var verdicts: [String: StorageVerdict]

    public init(
        checked: Int = 0, changed: Int = 0, withViolations: Int = 0, nextChange: Date?,
        verdicts: [String: StorageVerdict] = [:]
    ) {
        self.checked = checked
        self.changed = changed
        self.withViolations = withViolations
        self.nextChange = nextChange
        self.verdicts = verdicts
    }
}
