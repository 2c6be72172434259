/// One verified copy: which host holds which object (of which dataset, and how large).
public struct CopyHolding: Hashable, Sendable, Codable {
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
