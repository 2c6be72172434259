import DaulatCore
import Synchronization

/// Writes concurrent registrations together: whatever has queued while the previous write was in
/// flight goes to the database as one guarded insert, so a burst of registrations costs one round trip
/// and one commit instead of one each. Each caller still learns its own outcome: if a combined write
/// fails for a reason that may belong to one registration (a duplicate name, say), each is written
/// again on its own.
final class RegistrationBatcher<Backend: SQLBackend>: Sendable {
    /// Enough to cover every client of a busy server in one write, small enough to keep the statement modest.
    static var maximumBatch: Int { 64 }

    private struct Pending {
        let inserts: [SQLInsert]
        let catalogVersion: Int64
        let continuation: CheckedContinuation<Bool, any Error>
    }

    private struct State {
        var queue: [Pending] = []
        var writing = false
    }

    private let backend: Backend
    private let state = Mutex(State())

    init(backend: Backend) {
        self.backend = backend
    }

    /// Writes `inserts` if the catalog is still at `version`, together with whatever else is waiting;
    /// returns false, writing nothing, if the catalog has moved on.
    func write(_ inserts: [SQLInsert], ifCatalogAt version: Int64) async throws -> Bool {
        try await withCheckedThrowingContinuation { continuation in
            let startWriter = state.withLock { state in
                state.queue.append(Pending(inserts: inserts, catalogVersion: version, continuation: continuation))
                guard !state.writing else { return false }
                state.writing = true
                return true
            }
            if startWriter {
                Task { await self.drain() }
            }
        }
    }

    /// Writes batches until the queue is empty.
    private func drain() async {
        while let batch = nextBatch() {
            await write(batch)
        }
    }

    /// The longest run at the head of the queue planned at one catalog version, or nil (and the writer
    /// stops) when the queue is empty.
    private func nextBatch() -> [Pending]? {
        state.withLock { state in
            guard let first = state.queue.first else {
                state.writing = false
                return nil
            }
            let count = min(Self.maximumBatch, state.queue.prefix { $0.catalogVersion == first.catalogVersion }.count)
            let batch = Array(state.queue.prefix(count))
            state.queue.removeFirst(count)
            return batch
        }
    }

    private func write(_ batch: [Pending]) async {
        do {
            let written = try await backend.insertAll(Self.combined(batch.map(\.inserts)), ifCatalogAt: batch[0].catalogVersion)
            for pending in batch { pending.continuation.resume(returning: written) }
        } catch StoreError.unavailable(let reason) {
            for pending in batch { pending.continuation.resume(throwing: StoreError.unavailable(reason)) }
        } catch {
            guard batch.count > 1 else {
                batch[0].continuation.resume(throwing: error)
                return
            }
            for pending in batch {
                do {
                    pending.continuation.resume(returning: try await backend.insertAll(pending.inserts, ifCatalogAt: pending.catalogVersion))
                } catch {
                    pending.continuation.resume(throwing: error)
                }
            }
        }
    }

    /// One insert per table, the rows in the order the registrations queued, the tables in the order
    /// they first appear (so a row always follows the row it refers to).
    static func combined(_ registrations: [[SQLInsert]]) -> [SQLInsert] {
        var combined: [SQLInsert] = []
        for inserts in registrations {
            for insert in inserts {
                if let index = combined.firstIndex(where: { $0.table == insert.table && $0.columns == insert.columns }) {
                    combined[index].rows += insert.rows
                } else {
                    combined.append(insert)
                }
            }
        }
        return combined
    }
}
