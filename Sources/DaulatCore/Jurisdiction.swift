/// A member territory of the alliance.
public struct Jurisdiction: Hashable, Sendable, Codable {
    public var code: JurisdictionCode
    public var name: String

    public init(code: JurisdictionCode, name: String) {
        self.code = code
        self.name = name
    }
}
