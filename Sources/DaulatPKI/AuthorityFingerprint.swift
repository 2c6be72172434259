import Crypto
import DaulatCore
import Foundation
import SwiftASN1
import X509

/// What pins the alliance's certificate authority: `sha256:` and the hex SHA-256 of its certificate's
/// DER, as kubeadm's `--discovery-token-ca-cert-hash` pins a cluster's. Join tokens carry it, and a
/// client given it trusts only the authority whose certificate hashes to it — never one because the
/// server named it.
public struct AuthorityFingerprint: Hashable, Sendable, CustomStringConvertible {
    /// 64 lowercase hex digits.
    public let hex: String

    public init(of certificate: Certificate) throws {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        hex = Hex.encode(SHA256.hash(data: Data(serializer.serializedBytes)))
    }

    public init(ofPEM pem: String) throws {
        try self.init(of: try Certificate(pemEncoded: pem))
    }

    /// Parses `sha256:HEX` (or bare HEX, upper or lower case); nil for anything else.
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let digits = (trimmed.hasPrefix("sha256:") ? String(trimmed.dropFirst(7)) : trimmed).lowercased()
        guard Hex.isSHA256(digits) else { return nil }
        hex = digits
    }

    public var description: String { "sha256:" + hex }

    /// Whether `pem` is the pinned authority's certificate (false for anything that does not parse).
    public func matches(pem: String) -> Bool {
        (try? AuthorityFingerprint(ofPEM: pem)) == self
    }
}
