import Synchronization

/// How many reports are being written at once: CSV reports streamed (each holds a PostgreSQL connection
/// from the pool every request shares until its client has read the last row) and JSON and HTML reports
/// and dashboard pages built (each reads the whole audit log). Past ``limit`` a report is refused with
/// 503 at once rather than left to starve the API, the agents and the reconciler of connections and
/// the machine of memory.
final class ReportStreams: Sendable {
    static var limit: Int { 4 }

    private let active = Mutex(0)

    /// A place among the streams, held until the slot is released with the response it was given to.
    final class Slot: Sendable {
        private let streams: ReportStreams
        fileprivate init(_ streams: ReportStreams) { self.streams = streams }
        deinit { streams.active.withLock { $0 -= 1 } }
    }

    /// A slot, or `reports_busy` when ``limit`` reports are already streaming.
    func admit() throws -> Slot {
        let admitted = active.withLock { active in
            guard active < Self.limit else { return false }
            active += 1
            return true
        }
        guard admitted else {
            throw APIError(
                .serviceUnavailable, code: "reports_busy",
                message: "\(Self.limit) reports are being written already; ask again in a minute")
        }
        return Slot(self)
    }
}
