import Foundation

/// A custodian's latest word: it is up, and where clients reach it for keys and unwraps.
public struct CustodianHeartbeat: Hashable, Sendable, Codable {
    public var custodianID: String
    public var at: Date
    /// Its HTTPS listener, presenting its enrolled certificate.
    public var url: String

    public init(custodianID: String, at: Date, url: String) {
        self.custodianID = custodianID
        self.at = at
        self.url = url
    }
}
