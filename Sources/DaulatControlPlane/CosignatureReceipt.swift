import DaulatCore

/// The answer to a witness's post: the checkpoint's size and whose cosignatures in it were kept.
public struct CosignatureReceipt: Codable, Sendable {
    public var size: Int64
    public var accepted: [JurisdictionCode]
}
