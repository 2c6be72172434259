/// A member territory of the alliance.
public struct Jurisdiction: Hashable, Sendable, Codable {
    public var code: JurisdictionCode
    public var name: String

    public init(code: JurisdictionCode, name: String) {
        self.code = code
        self.name = name
    }

    public func validate() throws(DomainError) {
        guard !name.isEmpty, name.count <= 200 else {
            throw DomainError(.invalidName, "jurisdiction \(code) needs a name of 1-200 characters")
        }
    }
}
