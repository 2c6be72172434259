/// One object's data key as wrapped to one custodian: what a custodian re-wraps when it rotates.
public struct HeldKey: Hashable, Sendable, Codable {
    public var objectID: String
    public var key: ObjectKey

    public init(objectID: String, key: ObjectKey) {
        self.objectID = objectID
        self.key = key
    }
}
