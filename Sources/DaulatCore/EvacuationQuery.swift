/// Which evacuations to list, newest first; `limit` may be `.max` for all.
public struct EvacuationQuery: Hashable, Sendable {
    public var datasetID: String?
    public var objectID: String?
    /// The copies on one host.
    public var hostID: String?
    public var openOnly: Bool
    public var limit: Int

    public init(
        datasetID: String? = nil, objectID: String? = nil, hostID: String? = nil, openOnly: Bool = false,
        limit: Int = 1000
    ) {
        self.datasetID = datasetID
        self.objectID = objectID
        self.hostID = hostID
        self.openOnly = openOnly
        self.limit = limit
    }
}
