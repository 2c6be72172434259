/// One object an agent should hold, with what it needs to check and fetch it.
public struct Assignment: Codable, Sendable, Equatable {
    public var datasetID: String
    public var objectID: String
    public var sha256: String
    public var sizeBytes: Int64
    /// The jurisdictions where the dataset may be stored now. An agent whose own jurisdiction is not
    /// among them refuses the assignment, whoever asked.
    public var allowedStorage: [JurisdictionCode]
    /// The dataset's home and classification: the agent checks its own jurisdiction against the rules
    /// and the agreements its states signed too, not only against `allowedStorage`.
    public var home: JurisdictionCode
    public var classification: String
    /// A holder's object URL and a download ticket for it, when the agent lacks the object and a
    /// holder is reporting (one in an allowed place if any; otherwise the copy being evacuated).
    public var sourceURL: String?
    public var sourceTicket: String?
    /// The name the holder's certificate carries (its current enrolment): the fetch dials it by this.
    public var sourcePeerName: String?

    public init(
        datasetID: String,
        objectID: String,
        sha256: String,
        sizeBytes: Int64,
        allowedStorage: [JurisdictionCode],
        home: JurisdictionCode,
        classification: String,
        sourceURL: String? = nil,
        sourceTicket: String? = nil,
        sourcePeerName: String? = nil
    ) {
        self.datasetID = datasetID
        self.objectID = objectID
        self.sha256 = sha256
        self.sizeBytes = sizeBytes
        self.allowedStorage = allowedStorage
        self.home = home
        self.classification = classification
        self.sourceURL = sourceURL
        self.sourceTicket = sourceTicket
        self.sourcePeerName = sourcePeerName
    }
}
