import Crypto
import DaulatCrypto
import Foundation

/// Files sealed and opened on the client, a piece at a time, so memory stays flat whatever the size.
/// An opened file appears whole and authenticated, or not at all: never a partial plaintext.
enum SealedFile {
    static var pieceSize: Int { 1 << 20 }

    /// Seals `source` into `destination` (created, owner-only) under a fresh data key, and returns it.
    static func seal(_ source: URL, to destination: URL, keyID: String, objectID: String) throws -> SymmetricKey {
        let input = try FileHandle(forReadingFrom: source)
        defer { try? input.close() }
        let output = try create(destination)
        defer { try? output.close() }
        var sealer = try ObjectSealer(keyID: keyID, objectID: objectID)
        try output.write(contentsOf: sealer.header.encoded)
        var sealed: [UInt8] = []
        sealed.reserveCapacity(pieceSize + pieceSize / 8)
        while let data = try input.read(upToCount: pieceSize), !data.isEmpty {
            sealed.removeAll(keepingCapacity: true)
            try sealer.seal([UInt8](data), into: &sealed)
            try output.write(contentsOf: sealed)
        }
        sealed.removeAll(keepingCapacity: true)
        try sealer.finish(into: &sealed)
        try output.write(contentsOf: sealed)
        try output.synchronize()
        return sealer.dataKey
    }

    /// Opens `source` into `destination`, which appears only once every chunk has authenticated.
    static func open(_ source: URL, to destination: URL, dataKey: SymmetricKey, objectID: String, keyID: String)
        throws
    {
        let input = try FileHandle(forReadingFrom: source)
        defer { try? input.close() }
        let partial = destination.deletingLastPathComponent().appendingPathComponent(
            ".\(destination.lastPathComponent).partial")
        let output = try create(partial)
        var done = false
        defer {
            try? output.close()
            if !done { try? FileManager.default.removeItem(at: partial) }
        }
        var pending: [UInt8] = []
        var opener: ObjectOpener?
        var opened: [UInt8] = []
        while let data = try input.read(upToCount: pieceSize), !data.isEmpty {
            opened.removeAll(keepingCapacity: true)
            if opener == nil {
                pending += data
                guard let (header, length) = try SealedObjectHeader.decode(pending) else { continue }
                opener = try ObjectOpener(header: header, dataKey: dataKey, objectID: objectID, keyID: keyID)
                try opener!.open(pending[length...], into: &opened)
                pending = []
            } else {
                try opener!.open([UInt8](data), into: &opened)
            }
            try output.write(contentsOf: opened)
        }
        guard opener != nil else { throw SealedObjectError.truncated(afterChunks: 0) }
        opened.removeAll(keepingCapacity: true)
        try opener!.finish(into: &opened)
        try output.write(contentsOf: opened)
        try output.synchronize()
        try? FileManager.default.removeItem(at: destination)
        try FileManager.default.moveItem(at: partial, to: destination)
        done = true
    }

    private static func create(_ file: URL) throws -> FileHandle {
        try? FileManager.default.removeItem(at: file)
        guard FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600])
        else {
            throw ClientError(message: "cannot write \(file.path)")
        }
        return try FileHandle(forWritingTo: file)
    }
}
