/// Someone's request for an object's data key: from which jurisdiction the plaintext would be
/// processed, and why.
public struct UnwrapRequest: Hashable, Sendable, Codable {
    public var datasetID: String
    public var objectID: String
    /// Where the requester stands: the key is opened, and the plaintext processed, there.
    public var jurisdiction: JurisdictionCode
    public var justification: Justification
    /// The order or request a regulator's or law-enforcement justification rests on.
    public var reference: String?

    public init(
        datasetID: String, objectID: String, jurisdiction: JurisdictionCode, justification: Justification,
        reference: String? = nil
    ) {
        self.datasetID = datasetID
        self.objectID = objectID
        self.jurisdiction = jurisdiction
        self.justification = justification
        self.reference = reference
    }
}
