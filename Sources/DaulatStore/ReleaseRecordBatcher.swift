import DaulatCore
import Foundation
import Synchronization

/// Appends custodians' release records to the audit log together: whatever has queued while the last
/// append was committing goes in one transaction, so a burst of releases costs one commit instead of
/// one each. Each custodian waits until the transaction holding its record has committed, and learns
/// its entry's sequence number.
final class ReleaseRecordBatcher: Sendable {
    struct Record: Sendable {
        let release: SignedKeyRelease
        let time: Date
        let actor: String
    }

    /// Enough for every custodian request a busy control plane serves at once.
    static var maximumBatch: Int { 64 }

    private struct Pending {
        let record: Record
        let continuation: CheckedContinuation<Int64, any Error>
    }

    private struct State {
        var queue: [Pending] = []
        var writing = false
    }

    private let append: @Sendable ([Record]) async throws -> Int64
    private let state = Mutex(State())

    /// `append` writes records in one transaction, in order, and returns the last one's sequence number
    /// (the others' come just before it: writers take turns).
    init(append: @escaping @Sendable ([Record]) async throws -> Int64) {
        self.append = append
    }

    /// Returns once `record` is committed to the audit log: its entry's sequence number.
    func append(_ record: Record) async throws -> Int64 {
        try await withCheckedThrowingContinuation { continuation in
            let startWriter = state.withLock { state in
                state.queue.append(Pending(record: record, continuation: continuation))
                guard !state.writing else { return false }
                state.writing = true
                return true
            }
            if startWriter {
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while let batch = nextBatch() {
            do {
                let last = try await append(batch.map(\.record))
                for (offset, pending) in batch.enumerated() {
                    pending.continuation.resume(returning: last - Int64(batch.count - 1 - offset))
                }
            } catch {
                // One record that cannot be written must not cost the others theirs: each on its own.
                for pending in batch {
                    do {
                        pending.continuation.resume(returning: try await append([pending.record]))
                    } catch {
                        pending.continuation.resume(throwing: error)
                    }
                }
            }
        }
    }

    /// The head of the queue, or nil (and the writer stops) when it is empty.
    private func nextBatch() -> [Pending]? {
        state.withLock { state in
            guard !state.queue.isEmpty else {
                state.writing = false
                return nil
            }
            let batch = Array(state.queue.prefix(Self.maximumBatch))
            state.queue.removeFirst(batch.count)
            return batch
        }
    }
}
