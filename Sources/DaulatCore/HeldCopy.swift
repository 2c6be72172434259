/// One verified copy as a report lists it: the object, its dataset and size, and the host holding it.
public struct HeldCopy: Hashable, Sendable {
    public var objectID: String
    public var datasetID: String
    public var sizeBytes: Int64
    public var hostID: String

    public init(objectID: String, datasetID: String, sizeBytes: Int64, hostID: String) {
        self.objectID = objectID
        self.datasetID = datasetID
        self.sizeBytes = sizeBytes
        self.hostID = hostID
    }
}
