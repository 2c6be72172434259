import Foundation

/// An evacuation receipt as served and kept: the receipt, and the audit log key's Ed25519 signature
/// over ``signedBytes``. The file is the envelope's canonical JSON.
public struct SignedEvacuationReceipt: Hashable, Sendable, Codable {
    public var receipt: EvacuationReceipt
    /// Base64.
    public var signature: String

    public init(receipt: EvacuationReceipt, signature: String) {
        self.receipt = receipt
        self.signature = signature
    }

    /// What is signed: a purpose line, then the receipt's canonical JSON.
    public static func signedBytes(_ receipt: EvacuationReceipt) throws -> Data {
        Data("daulat evacuation receipt v1\n\(try CanonicalJSON.encode(receipt))".utf8)
    }
}
