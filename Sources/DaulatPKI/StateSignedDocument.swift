import DaulatCore
import Foundation

/// A statement signed by a state's or an agency's own key (``StateSigningKey``), not the operator's:
/// `base64url(canonical JSON).base64url(Ed25519 signature)`, the signature covering the statement's
/// purpose too, as ``SignedDocument`` does for the control plane's statements.
public enum StateSignedDocument {
    public static func sign(_ value: some Encodable, purpose: String, with key: StateSigningKey) throws -> String {
        let payload = try CanonicalJSON.encoder().encode(value)
        let signature = try key.signature(for: SignedDocument.context(purpose) + payload)
        return Base64URL.encode(payload) + "." + Base64URL.encode(signature)
    }

    /// The statement, if `text` was signed with `key`'s private half for `purpose`.
    public static func verify<T: Decodable>(_ text: String, as type: T.Type, purpose: String, key: StateVerifyingKey)
        throws(StateSignatureError) -> T
    {
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(
            separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payload = Base64URL.decode(parts[0]), let signature = Base64URL.decode(parts[1])
        else { throw .malformed }
        guard key.isValidSignature(signature, for: SignedDocument.context(purpose) + payload) else {
            throw .badSignature
        }
        do {
            return try CanonicalJSON.decoder().decode(T.self, from: payload)
        } catch {
            throw .malformed
        }
    }

    /// What `text` says, without checking its signature: to learn whose key to check it with, or to show
    /// a statement checked before. Nil if it is not such a statement of a `T`.
    public static func claimed<T: Decodable>(_ text: String, as type: T.Type) -> T? {
        guard let payload = text.split(separator: ".").first.flatMap({ Base64URL.decode($0) }) else { return nil }
        return try? CanonicalJSON.decoder().decode(T.self, from: payload)
    }
}
