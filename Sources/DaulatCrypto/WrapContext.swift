/// What a wrapped key is for; bound into the wrapping, so it opens for nothing else.
public struct WrapContext: Hashable, Sendable {
    public let objectID: String
    public let keyID: String
    /// The share's index for a split key; 0 for a whole key.
    public let shareIndex: UInt8

    public init(objectID: String, keyID: String, shareIndex: UInt8 = 0) {
        self.objectID = objectID
        self.keyID = keyID
        self.shareIndex = shareIndex
    }

    /// Length-prefixed, so that no two contexts share an encoding.
    var associatedData: [UInt8] {
        var bytes: [UInt8] = []
        for field in [objectID, keyID] {
            bytes += SealedObjectHeader.bigEndian(UInt16(truncatingIfNeeded: field.utf8.count))
            bytes += Array(field.utf8)
        }
        return bytes + [shareIndex]
    }
}
