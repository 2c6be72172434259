import Crypto
import DaulatCore
import DaulatFiles
import Foundation

/// The unwrap decisions a custodian has acted on, so that none is used twice — not across a restart,
/// nor by two custodian processes on one directory: each use is a file created exclusively (the
/// decision's hash names it) and on disk before the share is released. Entries are kept a day past
/// their decision's expiry, so a clock set back within that cannot bring one back.
public struct DecisionLedger: Sendable {
    private let directory: URL
    /// How long past its expiry a decision is remembered.
    public static let retention: TimeInterval = 86_400

    public init(directory: URL, now: Date = Date()) throws {
        self.directory = directory.appendingPathComponent("decisions", isDirectory: true)
        do {
            try DurableFile.createDirectory(self.directory)
        } catch {
            throw KeystoreError.storage("\(error)")
        }
        Self.prune(self.directory, now: now)
    }

    /// Records `id` as used; throws ``CustodianError/decisionReplayed(_:)`` if it was already.
    public func claim(_ id: String, expiresAt: Date, now: Date) throws {
        let name = Hex.encode(SHA256.hash(data: Data(id.utf8)))
        let file = directory.appendingPathComponent(name)
        let forgetAfter = Int64((expiresAt.timeIntervalSince1970 + Self.retention) * 1000)
        do {
            try DurableFile.write(Data("\(forgetAfter)\n".utf8), to: file, replacing: false)
        } catch let error as DurableFileError where error.systemError == EEXIST {
            throw CustodianError.decisionReplayed(id)
        } catch {
            throw KeystoreError.storage("the decision ledger could not be written: \(error)")
        }
    }

    /// Forgets decisions past their retention. A failure here only delays forgetting.
    private static func prune(_ directory: URL, now: Date) {
        let nowMilliseconds = Int64(now.timeIntervalSince1970 * 1000)
        for name in (try? DurableFile.names(in: directory)) ?? [] where !name.hasPrefix(".") {
            let file = directory.appendingPathComponent(name)
            guard let text = try? String(contentsOf: file, encoding: .utf8),
                let forgetAfter = Int64(text.trimmingCharacters(in: .whitespacesAndNewlines)),
                forgetAfter < nowMilliseconds
            else { continue }
            unlink(file.path)
        }
    }
}
