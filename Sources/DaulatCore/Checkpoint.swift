/// The audit log's head as a C2SP `tlog-checkpoint` note text: the origin (the log's name), the tree
/// size and the base64 RFC 6962 root, each on its own line. Daulat writes no extension lines, so
/// every witness states the same three facts.
public struct Checkpoint: Hashable, Sendable {
    public var origin: String
    public var size: Int64
    /// Base64 of the 32-byte root.
    public var root: String

    public init(origin: String, size: Int64, root: String) {
        self.origin = origin
        self.size = size
        self.root = root
    }

    /// The note text: three lines, each ending in a newline.
    public var text: String { "\(origin)\n\(size)\n\(root)\n" }

    /// The checkpoint a note's text states, or nil if it is not one (extension lines included).
    public init?(text: String) {
        guard text.hasSuffix("\n") else { return nil }
        let lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count == 3, !lines[0].isEmpty, let size = Int64(lines[1]), size >= 0, String(size) == lines[1],
            lines[2].count == 44
        else { return nil }
        self.init(origin: lines[0], size: size, root: lines[2])
    }

    /// The origin of a control plane's log: its trust domain's audit log.
    public static func origin(trustDomain: String) -> String { "\(trustDomain)/audit" }

    /// The name a jurisdiction's witness signs as.
    public static func witnessName(instance: String, jurisdiction: JurisdictionCode) -> String {
        "\(instance.lowercased())/\(jurisdiction.rawValue.lowercased())/witness"
    }
}
