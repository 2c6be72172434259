/// A dataset whose placement cannot meet its policy, as a residency report lists it.
public struct ReportedViolation: Hashable, Sendable, Codable {
    public var datasetID: String
    public var kind: String
    public var message: String

    public init(datasetID: String, kind: String, message: String) {
        self.datasetID = datasetID
        self.kind = kind
        self.message = message
    }
}
