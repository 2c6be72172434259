/// `<custodian>/<scope>/v<version>`: which custodian, which scope, which version a key is.
public struct KeyVersionID: Hashable, Sendable, CustomStringConvertible {
    public let custodianID: String
    public let scope: String
    public let version: Int

    public init(custodianID: String, scope: String, version: Int) {
        self.custodianID = custodianID
        self.scope = scope
        self.version = version
    }

    /// Nil for anything of another shape.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[2].hasPrefix("v"), let version = Int(parts[2].dropFirst()), version > 0,
            !parts[0].isEmpty, !parts[1].isEmpty
        else { return nil }
        self.init(custodianID: String(parts[0]), scope: String(parts[1]), version: version)
        // One spelling per key: "v01" or "v+1" are not "v1".
        guard description == text else { return nil }
    }

    public var description: String { "\(custodianID)/\(scope)/v\(version)" }
}
