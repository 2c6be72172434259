import DaulatCore
import Foundation
import Logging
import Metrics

/// Keeps the evacuation records true to the copies: opens one when a copy is seen where its dataset
/// may no longer be, marks it quarantined while no allowed place can take it, records a deadline that
/// passes, and ends it when the copy is gone. Run by the leading reconciler only.
struct EvacuationTracker<Store: DaulatStore>: Sendable {
    static var actor: String { "system:evacuation-tracker" }

    let store: Store
    let logger: Logger
    private let openGauge = Gauge(label: "daulat_evacuations_open")
    private let quarantinedGauge = Gauge(label: "daulat_copies_quarantined")
    private let missedCounter = Counter(label: "daulat_evacuation_deadlines_missed_total")

    init(store: Store, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// How many copies are read and reviewed at a time: the review's memory, however many copies there are.
    static var batchSize: Int { 10_000 }

    /// Reviews every copy against `verdicts` (the last re-planning pass's) at `now`; returns whether
    /// anything changed.
    @discardableResult
    func review(verdicts: [String: StorageVerdict], at now: Date) async throws -> Bool {
        // Open evacuations first, then copies: a release that commits in between ends its evacuation,
        // and the review then finds the copy gone and an evacuation the store no longer has open, which
        // it leaves alone; read the other way round, it would open a new one for a copy already gone.
        let open = try await store.evacuations(EvacuationQuery(openOnly: true, limit: .max))
        var review = EvacuationReview(verdicts: verdicts, topology: try await store.topology(), open: open, at: now)
        var stillOpen = Dictionary(open.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var changed = false
        try await store.copyHoldings(batchSize: Self.batchSize) { copies in
            changed = try await record(review.review(copies), stillOpen: &stillOpen) || changed
        }
        changed = try await record(review.finish(), stillOpen: &stillOpen) || changed
        openGauge.record(stillOpen.count)
        quarantinedGauge.record(stillOpen.values.filter { $0.quarantinedSince != nil }.count)
        return changed
    }

    /// Zeroes what only the leader measures, when this replica stops leading: the new leader reports
    /// them, and a dashboard adding replicas up must not count a former leader's last figures.
    func stopReporting() {
        openGauge.record(0)
        quarantinedGauge.record(0)
    }

    /// Records `changes`, keeping `stillOpen` up to date; returns whether there were any.
    private func record(_ changes: [EvacuationChange], stillOpen: inout [String: Evacuation]) async throws -> Bool {
        for change in changes {
            guard try await store.recordEvacuation(change, actor: Self.actor) else { continue }
            let evacuation = change.evacuation
            stillOpen[evacuation.id] = evacuation.isOpen ? evacuation : nil
            let metadata: Logger.Metadata = [
                "daulat.dataset": "\(evacuation.datasetID)", "daulat.object": "\(evacuation.objectID)",
                "daulat.host": "\(evacuation.hostID)",
            ]
            switch change.event {
            case .started:
                logger.notice(
                    "evacuation started",
                    metadata: metadata.merging(
                        ["daulat.reason": "\(evacuation.reason)"], uniquingKeysWith: { a, _ in a }))
            case .quarantined:
                logger.error("copy quarantined: no allowed place can take it", metadata: metadata)
            case .quarantineLifted:
                logger.notice("quarantine lifted: an allowed place can take the copy", metadata: metadata)
            case .deadlineMissed:
                missedCounter.increment()
                logger.error("evacuation deadline missed", metadata: metadata)
            case .lost:
                logger.error("copy under evacuation lost without a release", metadata: metadata)
            case .decided:
                logger.notice("quarantined copy decided by its home state", metadata: metadata)
            case .ended, .withdrawn:
                logger.notice("evacuation \(evacuation.state.rawValue)", metadata: metadata)
            }
        }
        return !changes.isEmpty
    }
}
