/// Filters and a page position for listing datasets.
public struct DatasetQuery: Sendable, Equatable {
    /// Only datasets of this agency (always set for owners).
    public var ownerAgency: String?
    public var home: JurisdictionCode?
    public var classification: String?
    public var name: String?
    /// Only datasets a regulator of this jurisdiction may see: at home there, or placed there.
    public var concerningJurisdiction: JurisdictionCode?
    /// Opaque position returned as ``DatasetPage/nextCursor``.
    public var cursor: String?
    public var limit: Int

    public init(
        ownerAgency: String? = nil,
        home: JurisdictionCode? = nil,
        classification: String? = nil,
        name: String? = nil,
        concerningJurisdiction: JurisdictionCode? = nil,
        cursor: String? = nil,
        limit: Int = 100
    ) {
        self.ownerAgency = ownerAgency
        self.home = home
        self.classification = classification
        self.name = name
        self.concerningJurisdiction = concerningJurisdiction
        self.cursor = cursor
        self.limit = limit
    }
}
