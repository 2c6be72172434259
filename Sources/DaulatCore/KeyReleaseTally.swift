/// Key uses and releases read from the audit log in order, as a residency report counts them and as
/// its verifier counts them again from the cited entries: a release is unlogged when no allowed key
/// use of its decision, for its object, came before it.
public struct KeyReleaseTally: Sendable {
    public private(set) var uses: [KeyUse] = []
    public private(set) var releases = 0
    public private(set) var unlogged: [UnloggedRelease] = []
    /// Decision and object of each allowed use.
    private var decisions: Set<[String]> = []

    public init() {}

    public mutating func add(_ use: KeyUse) {
        uses.append(use)
        if let decision = use.decisionID { decisions.insert([decision, use.request.objectID]) }
    }

    public mutating func add(_ release: KeyReleaseRecord) {
        releases += 1
        if !decisions.contains([release.decisionID, release.request.objectID]) {
            unlogged.append(
                UnloggedRelease(
                    decisionID: release.decisionID, custodianID: release.custodianID,
                    datasetID: release.request.datasetID, objectID: release.request.objectID))
        }
    }
}

extension KeyReleaseRecord {
    /// Whether a regulator of `jurisdiction` is told of it, as of the key use it follows.
    public func concerns(_ jurisdiction: JurisdictionCode) -> Bool {
        datasetHome == jurisdiction || request.jurisdiction == jurisdiction
    }
}
