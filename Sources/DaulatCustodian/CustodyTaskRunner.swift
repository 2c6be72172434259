import DaulatAgent
import DaulatCore
import DaulatCrypto
import DaulatFiles
import Foundation
import Logging

/// Does the control plane's custody tasks on this custodian's keystore, and reports each done.
///
/// - A **destroy** (a shred) destroys every version of the dataset's key: whatever was wrapped to
///   it, kept anywhere, opens for no one after.
/// - A **rotate** makes a new version, re-wraps each of the dataset's keys held here to it (the data
///   keys, and so the ciphertext, are untouched), has the control plane retire the old versions (no
///   new object may use them; refused while any key still does), and only then destroys them.
///
/// Each step can be repeated after a crash or a refusal: the version a rotation made is remembered
/// on disk for its task, so a retry does not rotate again.
struct CustodyTaskRunner: Sendable {
    let keystore: any Keystore
    let connection: AgentConnection
    /// Where the version each rotation made is remembered.
    let directory: URL
    let logger: Logger

    /// Re-wrapped keys go back in batches of this many.
    static var batchSize: Int { 500 }

    func run(_ task: CustodyTask) async throws {
        switch task.kind {
        case .destroy: try await destroy(task)
        case .rotate: try await rotate(task)
        }
    }

    private func destroy(_ task: CustodyTask) async throws {
        let versions = try await keystore.keys(scope: task.datasetID).map(\.version)
        for version in versions {
            try await keystore.destroy(scope: task.datasetID, version: version)
        }
        try await done(task, CustodianMessages.TaskDone(destroyedVersions: versions))
        logger.notice(
            "keys destroyed",
            metadata: [
                "daulat.dataset": "\(task.datasetID)", "daulat.task": "\(task.id)",
                "daulat.versions": "\(versions.map { "v\($0)" }.joined(separator: ","))",
            ])
    }

    private func rotate(_ task: CustodyTask) async throws {
        let current = try await rotatedKey(for: task)
        // A new object may have been wrapped to an old version between reading and retiring: read again.
        var retired = false
        for _ in 0..<3 where !retired {
            let held = try await connection.get(
                "/custodian/v1/tasks/\(task.id)/keys", as: CustodianMessages.HeldKeys.self, limit: 64 << 20
            ).keys
            var moved: [HeldKey] = []
            for entry in held where entry.key.recipientKeyID != current.id {
                guard let wrapped = entry.key.wrappedKey else {
                    throw AgentError(message: "the control plane sent a wrapped key of \(entry.objectID) not in base64")
                }
                let rewrapped = try await keystore.rewrap(
                    wrapped, context: try entry.key.wrapContext(objectID: entry.objectID), to: current.publicKey,
                    recipientKeyID: current.id)
                moved.append(HeldKey(objectID: entry.objectID, key: entry.key.replacingWrapping(with: rewrapped)))
                if moved.count == Self.batchSize {
                    try await send(moved, for: task)
                    moved = []
                }
            }
            if !moved.isEmpty { try await send(moved, for: task) }
            do {
                try await connection.tell(
                    "/custodian/v1/tasks/\(task.id)/retire", CustodianMessages.Retirement(keepFrom: current.version))
                retired = true
            } catch let error as AgentError where error.status == 409 {
                logger.info("keys still on old versions; re-wrapping again", metadata: ["daulat.error": "\(error)"])
            }
        }
        guard retired else {
            throw AgentError(message: "the control plane would not retire the old versions of \(task.datasetID)")
        }
        let older = try await keystore.keys(scope: task.datasetID).map(\.version).filter { $0 < current.version }
        for version in older {
            try await keystore.destroy(scope: task.datasetID, version: version)
        }
        try await done(
            task, CustodianMessages.TaskDone(destroyedVersions: older, currentVersion: current.version))
        try? FileManager.default.removeItem(at: marker(for: task))
        logger.notice(
            "key rotated",
            metadata: [
                "daulat.dataset": "\(task.datasetID)", "daulat.task": "\(task.id)",
                "daulat.key": "\(current.id)", "daulat.destroyed": "\(older.map { "v\($0)" }.joined(separator: ","))",
            ])
    }

    /// The version this task's rotation made, made now if it has not been.
    private func rotatedKey(for task: CustodyTask) async throws -> CustodianKey {
        let marker = marker(for: task)
        if let data = try DurableFile.readPrivate(marker), let version = Int(String(decoding: data, as: UTF8.self)),
            let key = try await keystore.keys(scope: task.datasetID).first(where: { $0.version == version })
        {
            return key
        }
        let key = try await keystore.rotate(scope: task.datasetID)
        try DurableFile.createDirectory(directory)
        try DurableFile.write(Data("\(key.version)".utf8), to: marker)
        return key
    }

    private func marker(for task: CustodyTask) -> URL {
        directory.appendingPathComponent(Hex.encode(Data(task.id.utf8)))
    }

    private func send(_ keys: [HeldKey], for task: CustodyTask) async throws {
        try await connection.tell("/custodian/v1/tasks/\(task.id)/rewrapped", CustodianMessages.HeldKeys(keys: keys))
    }

    private func done(_ task: CustodyTask, _ report: CustodianMessages.TaskDone) async throws {
        _ = try await connection.post("/custodian/v1/tasks/\(task.id)/done", report, as: CustodyTask.self)
    }
}
