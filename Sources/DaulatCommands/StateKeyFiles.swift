import ArgumentParser
import DaulatCore
import DaulatFiles
import DaulatPKI
import Foundation

/// Reading and writing the private keys that belong to states and agencies: owner-only files, never
/// overwritten (a key replaced by mistake would orphan everything it vouched for).
enum StateKeyFiles {
    static func write(_ key: StateSigningKey, to path: String) throws {
        do {
            try DurableFile.write(Data(key.pemRepresentation.utf8), to: URL(fileURLWithPath: path), replacing: false)
        } catch {
            throw ValidationError("cannot write \(path) (an existing key is never overwritten): \(error)")
        }
    }

    /// Makes a key for `subject` (a jurisdiction, a member), writes it to `path` and prints its public
    /// half, saying what it is for (`use`).
    static func generate(
        for subject: (field: String, value: String), to path: String, use: String, format: OutputFormat
    ) throws {
        let key = StateSigningKey.generate()
        try write(key, to: path)
        let data = try CanonicalJSON.encode([subject.field: subject.value, "publicKey": key.publicKey.description])
        try Output.print(Data(data.utf8), format: format) {
            var table = Table(subject.field.uppercased(), "PUBLIC KEY (\(use))", "PRIVATE KEY")
            table.add(subject.value, key.publicKey.description, path)
            return table
        }
    }

    static func read(_ path: String) throws -> StateSigningKey {
        let data: Data?
        do {
            data = try DurableFile.readPrivate(URL(fileURLWithPath: path))
        } catch {
            throw ValidationError("\(path): \(error)")
        }
        guard let data else { throw ValidationError("\(path) does not exist") }
        do {
            return try StateSigningKey(pem: String(decoding: data, as: UTF8.self))
        } catch {
            throw ValidationError("\(path): \(error)")
        }
    }

    /// A public key given as base64 or as a PEM file's path.
    static func publicKey(_ text: String) throws -> StateVerifyingKey {
        let value =
            FileManager.default.fileExists(atPath: text)
            ? String(decoding: FileManager.default.contents(atPath: text) ?? Data(), as: UTF8.self) : text
        do {
            return try StateVerifyingKey(value)
        } catch {
            throw ValidationError("'\(text)': \(error)")
        }
    }
}
