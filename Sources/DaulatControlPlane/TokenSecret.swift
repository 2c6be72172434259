import Crypto
import DaulatCore
import Foundation

/// Secrets: a prefix saying what they are for (`dlt_` bearer tokens, `djt_` join tokens) and 43
/// base64url characters (32 random bytes). Only their SHA-256 is stored, so a copy of the database
/// does not give anyone a working token.
public enum TokenSecret {
    public static let prefix = "dlt_"
    public static let joinPrefix = "djt_"

    public static func generate(prefix: String = prefix) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return prefix + Base64URL.encode(Data(bytes))
    }

    public static func hash(_ secret: String) -> String {
        Hex.encode(SHA256.hash(data: Data(secret.utf8)))
    }

    static func isWellFormed(_ secret: String, prefix: String = prefix) -> Bool {
        secret.hasPrefix(prefix) && secret.count == prefix.count + 43
    }
}
