import DaulatCore
import Foundation

/// Evaluates policies and plans placements against the current state of the store.
public struct PlacementService<Store: DaulatStore>: Sendable {
    public let store: Store

    public init(store: Store) { self.store = store }

    /// The evaluator and planner for the alliance as it stands now.
    public func snapshot() async throws -> (evaluator: PolicyEvaluator, planner: PlacementPlanner) {
        async let alliance = store.alliance()
        async let agreements = store.agreements()
        async let topology = store.topology()
        return (PolicyEvaluator(alliance: try await alliance, agreements: try await agreements), PlacementPlanner(topology: try await topology))
    }

    public func evaluate(_ dataset: Dataset, at time: Date) async throws -> (EvaluatedPolicy, Placement) {
        let (evaluator, planner) = try await snapshot()
        let policy = try evaluator.evaluate(dataset, at: time)
        return (policy, planner.plan(policy, at: time))
    }

    /// Re-plans every dataset and stores the placements that changed. Returns the number of datasets
    /// checked and changed, the number with violations, and when the next agreement boundary falls.
    public func recomputeAll(at time: Date, actor: String) async throws -> RecomputeSummary {
        let (evaluator, planner) = try await snapshot()
        var summary = RecomputeSummary(nextChange: evaluator.nextChange(after: time))
        var cursor: String?
        repeat {
            let page = try await store.datasets(DatasetQuery(cursor: cursor, limit: 500))
            for dataset in page.datasets {
                let placement = planner.plan(try evaluator.evaluate(dataset, at: time), at: time)
                summary.checked += 1
                if !placement.violations.isEmpty { summary.withViolations += 1 }
                do {
                    if try await store.savePlacement(placement, actor: actor) { summary.changed += 1 }
                } catch StoreError.notFound {
                    // Deleted while we were planning: nothing to place.
                }
            }
            cursor = page.nextCursor
        } while cursor != nil
        return summary
    }
}

/// What one pass of re-planning did.
public struct RecomputeSummary: Sendable, Equatable {
    public var checked = 0
    public var changed = 0
    public var withViolations = 0
    public var nextChange: Date?

    public init(checked: Int = 0, changed: Int = 0, withViolations: Int = 0, nextChange: Date?) {
        self.checked = checked
        self.changed = changed
        self.withViolations = withViolations
        self.nextChange = nextChange
    }
}
