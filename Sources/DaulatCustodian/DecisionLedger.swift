import DaulatFiles
import Foundation

/// The unwrap decisions a custodian has acted on, kept until they expire, so that none is used twice —
/// not even across a restart: the ledger is on disk before the share is released.
public actor DecisionLedger {
    private let file: URL
    /// Decision id → expiry (milliseconds since 1970).
    private var used: [String: Int64]

    public init(directory: URL) throws {
        file = directory.appendingPathComponent("decisions.json")
        do {
            try DurableFile.createDirectory(directory)
            used =
                try DurableFile.readPrivate(file).map { try JSONDecoder().decode([String: Int64].self, from: $0) }
                ?? [:]
        } catch let error as DurableFileError {
            throw KeystoreError.storage("\(error)")
        }
    }

    /// Records `id` as used; throws if it was already, and forgets decisions that have expired.
    public func claim(_ id: String, expiresAt: Date, now: Date) throws {
        let nowMilliseconds = Int64(now.timeIntervalSince1970 * 1000)
        guard used[id] == nil else { throw CustodianError.decisionReplayed(id) }
        used = used.filter { $0.value > nowMilliseconds }
        used[id] = Int64(expiresAt.timeIntervalSince1970 * 1000)
        do {
            try DurableFile.write(try JSONEncoder().encode(used), to: file)
        } catch {
            used[id] = nil
            throw KeystoreError.storage("the decision ledger could not be written: \(error)")
        }
    }
}
