/// An object's data key as the control plane keeps it: wrapped (HPKE) to one custodian's key, whole or
/// as one share of a k-of-n split. The control plane cannot open any of it.
public struct ObjectKey: Hashable, Sendable, Codable {
    public var custodianID: String
    /// The data key's id, as the sealed object's header names it.
    public var keyID: String
    /// 0 for a whole key; 1…n for a share.
    public var shareIndex: Int
    /// How many shares open the key; 1 for a whole key.
    public var threshold: Int
    /// The custodian key version it is wrapped to: `<custodian>/<dataset>/v<N>`.
    public var recipientKeyID: String
    /// The HPKE encapsulated key and ciphertext, base64, as `WrappedKey` encodes them.
    public var encapsulatedKey: String
    public var ciphertext: String

    public init(
        custodianID: String, keyID: String, shareIndex: Int, threshold: Int, recipientKeyID: String,
        encapsulatedKey: String, ciphertext: String
    ) {
        self.custodianID = custodianID
        self.keyID = keyID
        self.shareIndex = shareIndex
        self.threshold = threshold
        self.recipientKeyID = recipientKeyID
        self.encapsulatedKey = encapsulatedKey
        self.ciphertext = ciphertext
    }
}
