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

    public init(placements: PlacementService<Store>, interval: Duration = .seconds(30), logger: Logger) {
        self.placements = placements
        self.interval = interval
        self.logger = logger
    }

    /// Asks for a re-plan as soon as possible; cheap, callable from any request handler.
    public func requestRecompute() {
        pending.withLock { $0 = true }
    }

    /// Lets passes begin; called once the database is known to be ready.
    public func activate() {
        active.withLock { $0 = true }
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var nextBoundary: Date?
            var lastPass = ContinuousClock.now
            while !Task.isCancelled {
                let due = self.active.withLock { $0 } && self.pending.withLock { value in
                    defer { value = false }
                    return value
                }
                let boundaryPassed = self.active.withLock { $0 } && (nextBoundary.map { $0 <= Date() } ?? false)
                let intervalPassed = self.active.withLock { $0 } && ContinuousClock.now - lastPass >= self.interval
                if due || boundaryPassed || intervalPassed {
                    lastPass = ContinuousClock.now
                    nextBoundary = await self.pass()
                }
                // A short sleep rather than a precise timer: boundaries are met within 200 ms, and
                // a request from a handler is picked up as quickly. Cancellation is how shutdown arrives.
                do {
                    try await Task.sleep(for: .milliseconds(200))
                } catch {
                    return
                }
            }
        }
    }

    /// One re-planning pass; returns when the next one is due by time: the next agreement boundary, or
    /// two seconds from now after a failure (a database that is down is retried without hammering it).
    private func pass() async -> Date? {
        do {
            let summary = try await placements.recomputeAll(at: Date(), actor: Self.actor)
            passes.increment()
            violationsGauge.record(summary.withViolations)
            if summary.changed > 0 {
                logger.info(
                    "placements recomputed",
                    metadata: ["daulat.checked": "\(summary.checked)", "daulat.changed": "\(summary.changed)"]
                )
            }
            return summary.nextChange
        } catch {
            logger.warning("placement pass failed; will retry", metadata: ["daulat.error": "\(error)"])
            return Date().addingTimeInterval(2)
        }
    }
}
