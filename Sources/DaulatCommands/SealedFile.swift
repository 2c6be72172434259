import Crypto
import DaulatCrypto
import DaulatFiles
import Foundation

/// Files sealed and opened on the client, a piece at a time, so memory stays flat whatever the size.
/// An opened file appears whole and authenticated, or not at all: never a partial plaintext.
enum SealedFile {
    static var pieceSize: Int { 1 << 20 }

    /// Seals `source` into `destination`, a new owner-only file, under a fresh data key, and returns
    /// the key. The sealed file is for uploading, not keeping: it is not synced to disk.
    static func seal(_ source: URL, to destination: URL, keyID: String, objectID: String) throws -> SymmetricKey {
        let input = try FileHandle(forReadingFrom: source)
        defer { try? input.close() }
        let output = try DurableFile.createExclusive(destination)
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
        return sealer.dataKey
    }

    /// Opens `source` into `destination`, which appears (or is replaced) only once every chunk has
    /// authenticated and the plaintext is on disk.
    static func open(_ source: URL, to destination: URL, dataKey: SymmetricKey, objectID: String, keyID: String)
        throws
    {
        let input = try FileHandle(forReadingFrom: source)
        defer { try? input.close() }
        try DurableFile.write(to: destination) { output in
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
        }
    }
}
