import Foundation

/// A witness's cosignature of one checkpoint of the audit log, as the control plane keeps it: the
/// signature line exactly as the witness made it, so anyone can check it again.
public struct StoredCosignature: Hashable, Sendable, Codable {
    public var jurisdiction: JurisdictionCode
    public var size: Int64
    /// Base64 of the root the witness cosigned.
    public var root: String
    public var cosignedAt: Date
    /// `— <witness name> base64(key ID || timestamp || signature)`, with its newline.
    public var line: String

    public init(jurisdiction: JurisdictionCode, size: Int64, root: String, cosignedAt: Date, line: String) {
        self.jurisdiction = jurisdiction
        self.size = size
        self.root = root
        self.cosignedAt = cosignedAt
        self.line = line
    }
}
