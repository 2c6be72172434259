/// One verified copy: which host holds which object of which dataset.
public struct CopyHolding: Hashable, Sendable, Codable {
    public var objectID: String
    public var datasetID: String
    public var hostID: String

    public init(objectID: String, datasetID: String, hostID: String) {
        self.objectID = objectID
        self.datasetID = datasetID
        self.hostID = hostID
    }
}
