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
/// on disk for its task, so a retry re-wraps to it rather than making another (a crash between making
/// a version and remembering it leaves one version unused, destroyed with the old ones next time).
struct CustodyTaskRunner: Sendable {
    let keystore: any Keystore
    let connection: AgentConnection
    /// Where the version each rotation made is remembered.
    let directory: URL
    let logger: Logger

    func run(_ task: CustodyTask) async throws {
        switch task.kind {
        case .destroy: try await destroy(task)
        case .rotate: try await rotate(task)
        }
    }

    private func destroy(_ task: CustodyTask) async throws {
        for version in try await keystore.keys(scope: task.datasetID).map(\.version) {
            try await keystore.destroy(scope: task.datasetID, version: version)
        }
        // Every version destroyed, including by an attempt cut short before it could report.
        let versions = try await keystore.destroyedVersions(scope: task.datasetID)
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
            try await rewrapAll(task, to: current)
            do {
                try await connection.tell(
                    "/custodian/v1/tasks/\(task.id)/retire", CustodianMessages.Retirement(keepFrom: current.version))
                retired = true
            } catch let error as AgentError where error.code == "key_versions_in_use" {
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

    /// Re-wraps every key of the task's dataset held here that is not on `current`, a page at a time.
    private func rewrapAll(_ task: CustodyTask, to current: CustodianKey) async throws {
        var after = ""
        while true {
            let page = try await connection.get(
                "/custodian/v1/tasks/\(task.id)/keys?after=\(after)", as: CustodianMessages.HeldKeys.self,
                limit: 16 << 20
            ).keys
            guard let last = page.last else { return }
            after = last.objectID
            var moved: [HeldKey] = []
            for entry in page where entry.key.recipientKeyID != current.id {
                guard let wrapped = entry.key.wrappedKey else {
                    throw AgentError(message: "the control plane sent a wrapped key of \(entry.objectID) not in base64")
                }
                let rewrapped = try await keystore.rewrap(
                    wrapped, context: try entry.key.wrapContext(objectID: entry.objectID), to: current.publicKey,
                    recipientKeyID: current.id)
                moved.append(HeldKey(objectID: entry.objectID, key: entry.key.replacingWrapping(with: rewrapped)))
            }
            if !moved.isEmpty {
                try await connection.tell(
                    "/custodian/v1/tasks/\(task.id)/rewrapped", CustodianMessages.HeldKeys(keys: moved))
            }
        }
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

    private func done(_ task: CustodyTask, _ report: CustodianMessages.TaskDone) async throws {
        _ = try await connection.post("/custodian/v1/tasks/\(task.id)/done", report, as: CustodyTask.self)
    }
}
