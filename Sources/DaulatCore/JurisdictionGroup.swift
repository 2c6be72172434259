/// A named set of jurisdictions (`asean`, `eu`, `nordic`). Members are jurisdiction codes or the names
/// of other groups, so groups may nest.
public struct JurisdictionGroup: Hashable, Sendable, Codable {
    public var name: String
    public var members: [String]

    public init(name: String, members: [String]) {
        self.name = name
        self.members = members
    }
}
