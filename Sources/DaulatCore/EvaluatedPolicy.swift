import Foundation

/// A dataset's residency rules resolved at one instant: a verdict for every member jurisdiction and
/// each of the three uses, plus the effective replica rules.
public struct EvaluatedPolicy: Hashable, Sendable, Codable {
    public var datasetID: String
    public var home: JurisdictionCode
    public var classification: String
    public var evaluatedAt: Date
    public var storage: [JurisdictionVerdict]
    public var keys: [JurisdictionVerdict]
    public var processing: [JurisdictionVerdict]
    public var replicas: Int
    public var minDistinctSites: Int
    public var homeReplicaRequired: Bool
    public var dataEmbassyAllowed: Bool
    /// Nil when data keys are held whole.
    public var keySplit: KeySplit?

    public init(
        datasetID: String,
        home: JurisdictionCode,
        classification: String,
        evaluatedAt: Date,
        storage: [JurisdictionVerdict],
        keys: [JurisdictionVerdict],
        processing: [JurisdictionVerdict],
        replicas: Int,
        minDistinctSites: Int,
        homeReplicaRequired: Bool,
        dataEmbassyAllowed: Bool,
        keySplit: KeySplit? = nil
    ) {
        self.datasetID = datasetID
        self.home = home
        self.classification = classification
        self.evaluatedAt = evaluatedAt
        self.storage = storage
        self.keys = keys
        self.processing = processing
        self.replicas = replicas
        self.minDistinctSites = minDistinctSites
        self.homeReplicaRequired = homeReplicaRequired
        self.dataEmbassyAllowed = dataEmbassyAllowed
        self.keySplit = keySplit
    }

    public func verdicts(for use: JurisdictionUse) -> [JurisdictionVerdict] {
        switch use {
        case .storage: storage
        case .keys: keys
        case .processing: processing
        }
    }

    /// The jurisdictions allowed for `use`, including those allowed only at embassy sites.
    public func allowed(_ use: JurisdictionUse) -> Set<JurisdictionCode> {
        Set(verdicts(for: use).filter(\.allowed).map(\.jurisdiction))
    }

    /// Whether a copy may be stored at `site`: its jurisdiction is allowed, and if it is allowed only
    /// for a data embassy, or the site is an embassy at all, the site is an embassy of the home state.
    public func permitsStorage(at site: Site) -> Bool {
        guard let verdict = storage.first(where: { $0.jurisdiction == site.jurisdiction }), verdict.allowed else {
            return false
        }
        if let embassyOf = site.embassyOf { return embassyOf == home }
        return !verdict.embassyOnly
    }
}
