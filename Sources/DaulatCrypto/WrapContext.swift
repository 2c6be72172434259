/// What a wrapped key is for; bound into the wrapping, so it opens for nothing else.
public struct WrapContext: Hashable, Sendable {
    public let objectID: String
    public let keyID: String
    /// For a share of a split key: its index (1...n) and the split's threshold; 0 and 0 for a whole key.
    public let shareIndex: UInt8
    public let threshold: UInt8

    /// Identifiers of 1 to 255 bytes, as in a sealed object's header.
    public init(objectID: String, keyID: String, shareIndex: UInt8 = 0, threshold: UInt8 = 0) throws {
        for identifier in [objectID, keyID] where !SealedObjectHeader.identifierSizes.contains(identifier.utf8.count) {
            throw KeyWrappingError.invalidContext("identifiers are 1 to 255 bytes of UTF-8")
        }
        guard (shareIndex == 0) == (threshold == 0) else {
            throw KeyWrappingError.invalidContext("a share has both an index and a threshold; a whole key neither")
        }
        self.objectID = objectID
        self.keyID = keyID
        self.shareIndex = shareIndex
        self.threshold = threshold
    }

    /// Length-prefixed, so that no two contexts share an encoding.
    var associatedData: [UInt8] {
        var bytes: [UInt8] = []
        for field in [objectID, keyID] {
            bytes += SealedObjectHeader.bigEndian(UInt16(field.utf8.count))
            bytes += Array(field.utf8)
        }
        return bytes + [shareIndex, threshold]
    }
}
