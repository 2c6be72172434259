import Crypto
import DaulatCore
import Foundation
import X509

/// A statement by the control plane — a ticket, an agent's assignments — signed with the certificate
/// authority's key, so any agent can check it with the authority's certificate it already holds,
/// without asking the control plane. The text form is `base64url(canonical JSON).base64url(ECDSA P-256
/// signature)`; the signature also covers the statement's purpose, so a statement signed for one
/// purpose never verifies as another.
public enum SignedDocument {
    public static func sign(_ value: some Encodable, purpose: String, with authority: CertificateAuthority) throws
        -> String
    {
        let payload = try CanonicalJSON.encoder().encode(value)
        let signature = try authority.sign(context(purpose) + payload)
        return Base64URL.encode(payload) + "." + Base64URL.encode(signature)
    }

    /// The statement, if `text` was signed by `authority` for `purpose`.
    public static func verify<T: Decodable>(_ text: String, as type: T.Type, purpose: String, authority: Certificate)
        throws -> T
    {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payload = Base64URL.decode(parts[0]), let signature = Base64URL.decode(parts[1])
        else {
            throw TicketError.malformed
        }
        guard case .some(let key) = P256.Signing.PublicKey(authority.publicKey),
            let ecdsa = try? P256.Signing.ECDSASignature(derRepresentation: signature),
            key.isValidSignature(ecdsa, for: context(purpose) + payload)
        else {
            throw TicketError.badSignature
        }
        do {
            return try CanonicalJSON.decoder().decode(T.self, from: payload)
        } catch {
            throw TicketError.malformed
        }
    }

    static func context(_ purpose: String) -> Data { Data("daulat \(purpose) v1\n".utf8) }
}
