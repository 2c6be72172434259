import ArgumentParser
import DaulatCore
import DaulatFiles
import DaulatPKI
import Foundation

/// An alliance charter file, as states pass it around: read and checked whole (every authority it
/// lists has signed), or written back after one more signature.
enum CharterFile {
    static func read(_ path: String) throws -> AllianceCharter {
        let signed = try readSigned(path)
        do {
            return try signed.verified()
        } catch {
            throw ValidationError("\(path) does not hold: \(error) [\(error.code)]")
        }
    }

    /// The charter at `path`, or at DAULAT_CHARTER when no path is given: the one the caller's own state
    /// gave it, never the control plane's copy.
    static func resolve(_ path: String?) throws -> AllianceCharter {
        guard let path = path ?? ProcessInfo.processInfo.environment["DAULAT_CHARTER"] else {
            throw ValidationError(
                "which custodians may hold keys is checked against the alliance charter your state gave you: pass --charter FILE or set DAULAT_CHARTER (daulat dev writes DIR/charter.json)"
            )
        }
        return try read(path)
    }

    /// The file, signed or not yet.
    static func readSigned(_ path: String) throws -> SignedCharter {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read the charter file \(path)")
        }
        do {
            return try SignedCharter(text: String(decoding: data, as: UTF8.self))
        } catch {
            throw ValidationError("\(path): \(error) [\(error.code)]")
        }
    }

    static func write(_ charter: SignedCharter, to path: String) throws {
        try DurableFile.write(Data((try charter.text + "\n").utf8), to: URL(fileURLWithPath: path), mode: 0o644)
    }
}
