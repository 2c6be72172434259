import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Things that may be used once each (a custodian's unwrap decisions, an agent's upload tickets), so
/// that none is used twice — not across a restart, nor by two processes on one directory: each use is a
/// file created exclusively (the hash of the thing's id names it) and on disk before the use goes on.
/// Entries are kept a day past their expiry, so a clock set back within that cannot bring one back.
public struct SingleUseLedger: Sendable {
    private let directory: URL
    /// How long past its expiry a use is remembered.
    public static let retention: TimeInterval = 86_400

    /// The ledger in `directory`, made if it is missing; uses past their retention at `now` are forgotten.
    public init(directory: URL, now: Date = Date()) throws {
        self.directory = directory
        try DurableFile.createDirectory(directory)
        Self.prune(directory, now: now)
    }

    /// Records `id` as used, durably; false if it was used already.
    public func claim(_ id: String, expiresAt: Date) throws -> Bool {
        let forgetAfter = Int64((expiresAt.timeIntervalSince1970 + Self.retention) * 1000)
        do {
            try DurableFile.write(Data("\(forgetAfter)\n".utf8), to: file(id), replacing: false)
            return true
        } catch let error as DurableFileError where error.systemError == EEXIST {
            return false
        }
    }

    /// Forgets a use that did not happen after all (the upload it was for stored nothing), so that it
    /// may be tried again.
    public func unclaim(_ id: String) throws {
        guard unlink(file(id).path) == 0 || errno == ENOENT else {
            throw DurableFileError(
                action: "remove", path: file(id).path, reason: String(cString: strerror(errno)), systemError: errno)
        }
        try DurableFile.syncDirectory(directory)
    }

    private func file(_ id: String) -> URL {
        directory.appendingPathComponent(
            SHA256.hash(data: Data(id.utf8)).map { String(format: "%02x", $0) }.joined())
    }

    /// Forgets uses past their retention. A failure here only delays forgetting.
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
