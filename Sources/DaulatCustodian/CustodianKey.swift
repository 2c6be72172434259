import Crypto
import DaulatCore
import Foundation

/// The public half of one version of a custodian's key-encryption key for one scope.
public struct CustodianKey: Hashable, Sendable {
    public let custodianID: String
    public let scope: String
    public let version: Int
    public let publicKey: P256.KeyAgreement.PublicKey
    public let createdAt: Date

    /// What a wrapped key names as its recipient: `<custodian>/<scope>/v<version>`.
    public var id: String { KeyVersionID(custodianID: custodianID, scope: scope, version: version).description }

    public static func == (lhs: CustodianKey, rhs: CustodianKey) -> Bool {
        lhs.id == rhs.id && lhs.publicKey.x963Representation == rhs.publicKey.x963Representation
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}
