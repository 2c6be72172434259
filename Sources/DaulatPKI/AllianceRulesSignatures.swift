import DaulatCore
import Foundation

/// How each state's authority signs a version of the alliance's rules, and whether a version binds:
/// only once every state the charter lists has signed it, each checked against the key the charter
/// pins, so no operator and no single state changes a rule that binds the others.
public enum AllianceRulesSignatures {
    /// `key`'s signature over `rules`, base64url, as it is filed under the state's code.
    public static func sign(_ rules: AllianceRules, with key: StateSigningKey) throws -> String {
        Base64URL.encode(try key.signature(for: try signedBytes(rules)))
    }

    public static func isValid(_ signature: String, over rules: AllianceRules, by key: StateVerifyingKey) -> Bool {
        guard let raw = Base64URL.decode(signature), let bytes = try? signedBytes(rules) else { return false }
        return key.isValidSignature(raw, for: bytes)
    }

    /// The states of `charter` whose valid signature `signed` lacks, sorted; none when it binds.
    public static func unsigned(_ signed: SignedAllianceRules, under charter: AllianceCharter) -> [JurisdictionCode] {
        charter.authorities.map(\.jurisdiction).filter { state in
            guard let signature = signed.signatures[state.rawValue], let key = charter.key(of: state) else {
                return true
            }
            return !isValid(signature, over: signed.rules, by: key)
        }.sorted()
    }

    public static func binds(_ signed: SignedAllianceRules, under charter: AllianceCharter) -> Bool {
        unsigned(signed, under: charter).isEmpty
    }

    private static func signedBytes(_ rules: AllianceRules) throws -> Data {
        SignedDocument.context(AllianceRules.signaturePurpose) + (try CanonicalJSON.encoder().encode(rules))
    }
}
