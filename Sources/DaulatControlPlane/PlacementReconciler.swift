import DaulatCore
import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// Keeps every dataset's desired placement current. It re-plans when asked (an agreement, site or host
/// changed), when an agreement's `from` or `until` passes (with no API call at all), and at least every
/// `interval` to pick up anything else.
public final class PlacementReconciler<Store: DaulatStore>: Service, Sendable {
    public static var actor: String { "system:placement-reconciler" }

    let placements: PlacementService<Store>
    let interval: Duration
    let logger: Logger
    private let pending = Mutex(true)
    /// Passes wait until the application has checked its database (migrations, first token).
    private let active = Mutex(false)
    private let violationsGauge = Gauge(label: "daulat_datasets_with_placement_violations")
    private let passes = Counter(label: "daulat_placement_passes_total")
    private let placedGauge = Gauge(label: "daulat_datasets_placed")
    /// Replication's backlog: copies placed but not yet made, and how long ago the oldest of their
    /// objects was registered.
    private let missingGauge = Gauge(label: "daulat_copies_missing")
    private let lagGauge = Gauge(label: "daulat_replication_lag_seconds")
    private let violationsByKind = Dictionary(
        uniqueKeysWithValues: PlacementViolation.Kind.allCases.map {
            ($0, Gauge(label: "daulat_placement_violations", dimensions: [("kind", $0.rawValue)]))
        })
    private let leaderGauge = Gauge(label: "daulat_reconciler_leader")
    private let leading = Mutex(false)

    /// Signalled after a pass that changed placements, so agents learn of it at once.
    let changes: AssignmentChanges

    /// How long a reporting agent may fall silent before its host is marked silent; nil when
    /// agents are not in use.
    let heartbeatGrace: TimeInterval?
    public static var heartbeatActor: String { "system:heartbeat-watch" }

    let evacuations: EvacuationTracker<Store>
    let shredder: ShredExecutor<Store>
    /// Signs a tree head over the audit log every ``treeHeadInterval`` while leading, when it has grown.
    let auditTree: AuditTree<Store>?
    static var treeHeadInterval: Duration { .seconds(10) }

    public init(
        placements: PlacementService<Store>, interval: Duration = .seconds(30),
        changes: AssignmentChanges = AssignmentChanges(), heartbeatGrace: TimeInterval? = nil,
        auditTree: AuditTree<Store>? = nil, logger: Logger
    ) {
        self.auditTree = auditTree
        self.placements = placements
        self.heartbeatGrace = heartbeatGrace
        self.changes = changes
        self.interval = interval
        self.logger = logger
        self.evacuations = EvacuationTracker(store: placements.store, logger: logger)
        self.shredder = ShredExecutor(store: placements.store, logger: logger)
    }

    /// Asks for a re-plan as soon as possible; cheap, callable from any request handler.
    public func requestRecompute() {
        pending.withLock { $0 = true }
    }

    /// Lets passes begin; called once the database is known to be ready.
    public func activate() {
        active.withLock { $0 = true }
    }

    /// Whether this process is the one re-planning (of all control planes sharing the store).
    public var isLeading: Bool { leading.withLock { $0 } }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            // Leadership is sought only once the database is known to be ready.
            while !Task.isCancelled && !self.active.withLock({ $0 }) {
                guard (try? await Task.sleep(for: .milliseconds(200))) != nil else { return }
            }
            while !Task.isCancelled {
                self.logger.info("reconciler standing by until it leads")
                do {
                    try await self.placements.store.whileLeading { try await self.lead() }
                } catch is CancellationError {
                    return
                } catch {
                    self.setLeading(false)
                    self.logger.warning(
                        "reconciler lost its leadership; will seek it again", metadata: ["daulat.error": "\(error)"])
                    guard (try? await Task.sleep(for: .seconds(1))) != nil else { return }
                }
            }
        }
    }

    private func setLeading(_ value: Bool) {
        leading.withLock { $0 = value }
        leaderGauge.record(value ? 1 : 0)
        guard !value else { return }
        // What only the leader measures goes back to zero here; the new leader reports it.
        for gauge in [placedGauge, violationsGauge, missingGauge, lagGauge] + violationsByKind.values {
            gauge.record(0)
        }
        evacuations.stopReporting()
    }

    /// Re-plans while leading, until cancelled: on request, when the catalog changes (through any
    /// control plane), when an agreement boundary passes, and every `interval`.
    private func lead() async throws {
        setLeading(true)
        defer { setLeading(false) }
        logger.notice("reconciler leading")
        var nextBoundary: Date?
        var lastPass = ContinuousClock.now
        var knownCatalog: Int64?
        var lastWatch = ContinuousClock.now
        var lastTreeHead = ContinuousClock.now - Self.treeHeadInterval
        // Where each dataset's copies may be, as of the last pass; evacuations are reviewed against it
        // after every pass and every couple of seconds (copies come and go between passes).
        var verdicts: [String: StorageVerdict]?
        var lastReview = ContinuousClock.now
        // The first pass runs at once: whatever changed while no one led is caught up.
        pending.withLock { $0 = true }
        while !Task.isCancelled {
            if ContinuousClock.now - lastWatch >= .seconds(1) {
                lastWatch = ContinuousClock.now
                await watchHeartbeats()
                await advanceShreds()
            }
            if ContinuousClock.now - lastTreeHead >= Self.treeHeadInterval {
                lastTreeHead = ContinuousClock.now
                await signTreeHead()
            }
            let catalog = try? await placements.store.catalogVersion()
            let catalogMoved = catalog != nil && knownCatalog != nil && catalog != knownCatalog
            let due = pending.withLock { value in
                defer { value = false }
                return value
            }
            let boundaryPassed = nextBoundary.map { $0 <= Date() } ?? false
            let intervalPassed = ContinuousClock.now - lastPass >= interval
            if due || catalogMoved || boundaryPassed || intervalPassed {
                lastPass = ContinuousClock.now
                knownCatalog = catalog
                let outcome = await pass()
                nextBoundary = outcome.nextChange
                verdicts = outcome.verdicts ?? verdicts
                lastReview = .now - .seconds(2)
            } else if knownCatalog == nil {
                knownCatalog = catalog
            }
            if let verdicts, ContinuousClock.now - lastReview >= .seconds(2) {
                lastReview = ContinuousClock.now
                await reviewEvacuations(verdicts)
            }
            // A short sleep rather than a precise timer: boundaries and changes are met within 200 ms.
            // Cancellation is how shutdown, or the loss of leadership, arrives.
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Takes hosts whose agent has fallen silent out of placement, and puts them back when it reports
    /// again. A host whose agent never reported is left as the alliance definition has it.
    private func watchHeartbeats() async {
        guard let grace = heartbeatGrace else { return }
        do {
            let now = Date()
            let heartbeats = Dictionary(
                try await placements.store.heartbeats().map { ($0.hostID, $0.at) }, uniquingKeysWith: max)
            for host in try await placements.store.topology().hosts {
                guard let last = heartbeats[host.id] else { continue }
                // Only from available to silent and back: a host an operator took out or is draining
                // stays as the operator left it, even if that happened since the topology was read
                // (the store decides on the stored status; the reading only saves needless writes).
                let silent = now.timeIntervalSince(last) > grace
                guard host.status == (silent ? .available : .silent) else { continue }
                if silent {
                    guard
                        try await placements.store.changeHostStatus(
                            hostID: host.id, from: .available, to: .silent, actor: Self.heartbeatActor)
                    else { continue }
                    logger.warning("agent silent; host taken out of placement", metadata: ["daulat.host": "\(host.id)"])
                } else {
                    guard
                        try await placements.store.changeHostStatus(
                            hostID: host.id, from: .silent, to: .available, actor: Self.heartbeatActor)
                    else { continue }
                    logger.notice(
                        "agent reporting again; host back in placement", metadata: ["daulat.host": "\(host.id)"])
                }
                requestRecompute()
            }
        } catch {
            logger.warning("heartbeat watch failed; will retry", metadata: ["daulat.error": "\(error)"])
        }
    }

    /// Shreds whose window ended execute; executed ones complete when all is destroyed. Agents learn
    /// at once of copies to delete.
    private func advanceShreds() async {
        do {
            if try await shredder.advance(at: CanonicalJSON.rounded(Date())) { changes.signal() }
        } catch {
            logger.warning("shred step failed; will retry", metadata: ["daulat.error": "\(error)"])
        }
    }

    /// A log that no longer extends its last head is logged (critical) by the tree and left unsigned.
    private func signTreeHead() async {
        guard let auditTree else { return }
        do {
            try await auditTree.publish(at: Date())
        } catch let error as APIError where error.code == "audit_log_not_ready" {
            return
        } catch {
            logger.warning("tree head not signed; will retry", metadata: ["daulat.error": "\(error)"])
        }
    }

    private func reviewEvacuations(_ verdicts: [String: StorageVerdict]) async {
        do {
            try await evacuations.review(verdicts: verdicts, at: CanonicalJSON.rounded(Date()))
        } catch {
            logger.warning("evacuation review failed; will retry", metadata: ["daulat.error": "\(error)"])
        }
    }

    /// One re-planning pass; returns when the next one is due by time (the next agreement boundary, or
    /// two seconds from now after a failure: a database that is down is retried without hammering it)
    /// and, when it succeeded, where each dataset's copies may be.
    private func pass() async -> (nextChange: Date?, verdicts: [String: StorageVerdict]?) {
        do {
            let summary = try await placements.recomputeAll(at: Date(), actor: Self.actor)
            passes.increment()
            violationsGauge.record(summary.withViolations)
            placedGauge.record(summary.checked)
            for (kind, gauge) in violationsByKind { gauge.record(summary.violations[kind] ?? 0) }
            // Once a pass, not at every review: it joins every object with its placed hosts.
            let missing = try await placements.store.missingCopies()
            missingGauge.record(missing.count)
            lagGauge.record(missing.oldestObject.map { max(0, Date().timeIntervalSince($0)) } ?? 0)
            if summary.changed > 0 {
                changes.signal()
                logger.info(
                    "placements recomputed",
                    metadata: ["daulat.checked": "\(summary.checked)", "daulat.changed": "\(summary.changed)"]
                )
            }
            return (summary.nextChange, summary.verdicts)
        } catch {
            logger.warning("placement pass failed; will retry", metadata: ["daulat.error": "\(error)"])
            return (Date().addingTimeInterval(2), nil)
        }
    }
}
