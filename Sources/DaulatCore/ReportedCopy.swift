/// One copy in a residency report: whose data it is, where it is, and on what basis it may be there.
public struct ReportedCopy: Hashable, Sendable, Codable {
    public var datasetID: String
    public var datasetName: String
    public var ownerAgency: String
    public var home: JurisdictionCode
    public var classification: String
    public var objectID: String
    public var sizeBytes: Int64
    public var hostID: String
    public var siteID: String
    public var jurisdiction: JurisdictionCode
    /// Why the dataset may be stored there now, in words; empty of an agreement when it is home or a
    /// shared group.
    public var basis: String
    public var agreementID: String?
    /// False when the dataset may no longer be stored there: the copy is to be evacuated.
    public var allowed: Bool

    public init(
        datasetID: String, datasetName: String, ownerAgency: String, home: JurisdictionCode, classification: String,
        objectID: String, sizeBytes: Int64, hostID: String, siteID: String, jurisdiction: JurisdictionCode,
        basis: String, agreementID: String?, allowed: Bool
    ) {
        self.datasetID = datasetID
        self.datasetName = datasetName
        self.ownerAgency = ownerAgency
        self.home = home
        self.classification = classification
        self.objectID = objectID
        self.sizeBytes = sizeBytes
        self.hostID = hostID
        self.siteID = siteID
        self.jurisdiction = jurisdiction
        self.basis = basis
        self.agreementID = agreementID
        self.allowed = allowed
    }
}

extension ReportedCopy {
    /// The copy of `objectID` on `host` at `site`, judged by the dataset's policy as evaluated.
    public init(
        objectID: String, sizeBytes: Int64, of dataset: Dataset, judgedBy policy: EvaluatedPolicy, on host: StorageHost,
        at site: Site
    ) {
        let verdict = policy.storage.first { $0.jurisdiction == site.jurisdiction }
        self.init(
            datasetID: dataset.id, datasetName: dataset.name, ownerAgency: dataset.ownerAgency, home: dataset.home,
            classification: dataset.classification, objectID: objectID, sizeBytes: sizeBytes, hostID: host.id,
            siteID: site.id, jurisdiction: site.jurisdiction,
            basis: verdict?.reason.detail ?? "\(site.jurisdiction.rawValue) is not a member jurisdiction",
            agreementID: verdict?.reason.agreementID, allowed: policy.permitsStorage(at: site))
    }
}
