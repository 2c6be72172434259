import Crypto
import Foundation

/// A reader and cosigner of C2SP signed notes written from the text of c2sp.org/signed-note,
/// tlog-checkpoint and tlog-cosignature alone, sharing nothing with Daulat's own code, so that a
/// checkpoint both accept is one the ecosystem's tools accept.
enum IndependentNote {
    struct Line {
        let name: String
        let bytes: [UInt8]
    }

    /// "A text ending in newline, followed by a blank line, followed by one or more signature lines":
    /// the text is everything up to the last blank line.
    static func split(_ note: String) -> (text: String, lines: [Line])? {
        let bytes = Array(note.utf8)
        guard bytes.last == 0x0A else { return nil }
        var lastBlank: Int?
        for index in 0..<(bytes.count - 1) where bytes[index] == 0x0A && bytes[index + 1] == 0x0A {
            lastBlank = index
        }
        guard let blank = lastBlank else { return nil }
        let text = String(decoding: bytes[...blank], as: UTF8.self)
        var lines: [Line] = []
        for raw in String(decoding: bytes[(blank + 2)...], as: UTF8.self).split(separator: "\n") {
            // em dash (U+2014), space, key name, space, base64.
            guard raw.hasPrefix("\u{2014} ") else { return nil }
            let rest = raw.dropFirst(2).split(separator: " ")
            guard rest.count == 2, let decoded = Data(base64Encoded: String(rest[1])) else { return nil }
            lines.append(Line(name: String(rest[0]), bytes: [UInt8](decoded)))
        }
        return (text, lines)
    }

    /// key ID = SHA-256(key name || 0x0A || signature type || public key)[:4]
    static func keyID(name: String, type: UInt8, publicKey: Data) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: Data(name.utf8))
        hasher.update(data: Data([0x0A, type]))
        hasher.update(data: publicKey)
        return Array(hasher.finalize().prefix(4))
    }

    /// Whether the note carries a valid Ed25519 (type 0x01) signature over its text by `name`'s key.
    static func verifyLog(_ note: String, name: String, publicKey: Data) -> Bool {
        guard let (text, lines) = split(note),
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey)
        else { return false }
        let id = keyID(name: name, type: 0x01, publicKey: publicKey)
        return lines.contains { line in
            line.name == name && Array(line.bytes.prefix(4)) == id
                && key.isValidSignature(Data(line.bytes.dropFirst(4)), for: Data(text.utf8))
        }
    }

    /// The timestamp of a valid cosignature (type 0x04) by `name`'s key: u64 big-endian time, then
    /// the Ed25519 signature over "cosignature/v1\ntime <t>\n" and the note text.
    static func cosignatureTime(_ note: String, name: String, publicKey: Data) -> UInt64? {
        guard let (text, lines) = split(note),
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey)
        else { return nil }
        let id = keyID(name: name, type: 0x04, publicKey: publicKey)
        for line in lines where line.name == name && Array(line.bytes.prefix(4)) == id && line.bytes.count == 4 + 8 + 64 {
            var time: UInt64 = 0
            for byte in line.bytes[4..<12] { time = time << 8 | UInt64(byte) }
            let message = Data("cosignature/v1\ntime \(time)\n\(text)".utf8)
            if key.isValidSignature(Data(line.bytes[12...]), for: message) { return time }
        }
        return nil
    }

    /// A cosignature line for `text` by `name`, made as the spec says.
    static func cosign(_ text: String, name: String, key: Curve25519.Signing.PrivateKey, time: UInt64) throws -> String {
        let message = Data("cosignature/v1\ntime \(time)\n\(text)".utf8)
        let signature = try key.signature(for: message)
        let stamp = (0..<8).map { UInt8((time >> (56 - 8 * UInt64($0))) & 0xFF) }
        let bytes = keyID(name: name, type: 0x04, publicKey: key.publicKey.rawRepresentation) + stamp + [UInt8](signature)
        return "\u{2014} \(name) \(Data(bytes).base64EncodedString())\n"
    }
}
