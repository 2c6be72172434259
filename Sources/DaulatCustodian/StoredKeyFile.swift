import Foundation

/// One key version on disk: the public key in the clear, the private key sealed with the keystore key
/// under a context naming the custodian, scope and version (a file copied elsewhere does not open).
struct StoredKeyFile: Codable {
    var scope: String
    var version: Int
    var createdAtMilliseconds: Int64
    /// X9.63 (uncompressed point), base64.
    var publicKey: String
    var sealedPrivateKey: String
}
