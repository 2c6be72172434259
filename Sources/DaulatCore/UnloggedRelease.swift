/// A key release a custodian recorded whose decision the audit log does not hold (no allowed key use
/// of that decision before it): a decision signed outside the control plane's rules. Flagged in the
/// owner state's residency report.
public struct UnloggedRelease: Hashable, Sendable, Codable {
    public var decisionID: String
    public var custodianID: String
    public var datasetID: String
    public var objectID: String

    public init(decisionID: String, custodianID: String, datasetID: String, objectID: String) {
        self.decisionID = decisionID
        self.custodianID = custodianID
        self.datasetID = datasetID
        self.objectID = objectID
    }
}
