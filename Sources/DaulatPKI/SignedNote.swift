import Foundation

/// A C2SP signed note: a text ending in a newline, a blank line, then one line per signature,
/// `— <key name> base64(key ID (4 bytes) || signature)`. Parsing keeps every signature line; which
/// ones count is for ``NoteKey`` to say (unknown keys are ignored, as the format requires).
public struct SignedNote: Sendable, Equatable {
    public struct Signature: Sendable, Equatable {
        public var name: String
        public var keyID: [UInt8]
        public var signature: [UInt8]

        public init(name: String, keyID: [UInt8], signature: [UInt8]) {
            self.name = name
            self.keyID = keyID
            self.signature = signature
        }

        public var line: String { "— \(name) \(Data(keyID + signature).base64EncodedString())\n" }
    }

    public var text: String
    public var signatures: [Signature]

    /// The most signature lines a note may carry: more than any alliance has witnesses.
    public static let signatureLimit = 64

    public init(text: String, signatures: [Signature] = []) {
        self.text = text
        self.signatures = signatures
    }

    public init(parsing note: String) throws(NoteError) {
        guard note.unicodeScalars.allSatisfy({ $0 == "\n" || $0.value >= 0x20 }) else {
            throw .malformed("it contains control characters")
        }
        // The text ends at the last blank line; every line after it is a signature.
        guard note.hasSuffix("\n"), let split = note.range(of: "\n\n", options: .backwards) else {
            throw .malformed("no blank line before the signatures")
        }
        let text = String(note[..<split.lowerBound]) + "\n"
        let lines = note[split.upperBound...].dropLast().split(separator: "\n", omittingEmptySubsequences: false)
        guard !lines.isEmpty, lines.count <= Self.signatureLimit else {
            throw .malformed("it has no signature, or more than \(Self.signatureLimit)")
        }
        var signatures: [Signature] = []
        for line in lines {
            let parts = line.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0] == "—", !parts[1].isEmpty, !parts[1].contains("+"),
                let bytes = Data(base64Encoded: String(parts[2])), bytes.count > 4
            else { throw .malformed("a signature line is not '— NAME BASE64'") }
            signatures.append(
                Signature(name: String(parts[1]), keyID: Array(bytes.prefix(4)), signature: Array(bytes.dropFirst(4))))
        }
        self.init(text: text, signatures: signatures)
    }

    /// The note as it is written: the text, a blank line, a line per signature.
    public var formatted: String { text + "\n" + signatures.map(\.line).joined() }
}
