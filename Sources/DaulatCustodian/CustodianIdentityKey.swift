import DaulatFiles
import DaulatPKI
import Foundation

/// The custodian's identity key: made once, kept owner-only in its data directory
/// (`identity-key.pem`), and never renewed with its certificate. It signs every dataset key the
/// custodian hands out; its state's authority pins its public half in the signed record of its ground,
/// so only this custodian, not one enrolled in its name, has new data keys wrapped to it.
public enum CustodianIdentityKey {
    public static func file(in directory: URL) -> URL { directory.appendingPathComponent("identity-key.pem") }

    /// The key in `directory`, made there first if there is none.
    public static func loadOrCreate(in directory: URL) throws -> StateSigningKey {
        let url = file(in: directory)
        if let existing = try DurableFile.readPrivate(url) {
            return try StateSigningKey(pem: String(decoding: existing, as: UTF8.self))
        }
        try DurableFile.createDirectory(directory)
        let key = StateSigningKey.generate()
        // Never replacing: a key written by another start in the meantime wins, and is read back.
        do {
            try DurableFile.write(Data(key.pemRepresentation.utf8), to: url, replacing: false)
        } catch {
            guard let written = try DurableFile.readPrivate(url) else { throw error }
            return try StateSigningKey(pem: String(decoding: written, as: UTF8.self))
        }
        return key
    }
}
