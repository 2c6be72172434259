import DaulatCore
import Foundation

/// How the parties' authorities sign an agreement's terms and acts, and where an agreement stands when
/// every signature is checked against the keys the charter pins: what an agent or a custodian believes
/// about an agreement, whatever the control plane's record says.
public enum AgreementSignatures {
    /// `key`'s signature over `terms`, base64url, as it is filed under the party's code.
    public static func sign(_ terms: AgreementTerms, with key: StateSigningKey) throws -> String {
        Base64URL.encode(try key.signature(for: try signedBytes(terms)))
    }

    public static func isValid(_ signature: String, over terms: AgreementTerms, by key: StateVerifyingKey) -> Bool {
        guard let raw = Base64URL.decode(signature), let bytes = try? signedBytes(terms) else { return false }
        return key.isValidSignature(raw, for: bytes)
    }

    public static func sign(_ act: AgreementAct, with key: StateSigningKey) throws -> String {
        try StateSignedDocument.sign(act, purpose: AgreementAct.signaturePurpose, with: key)
    }

    /// The act in `text`, if the authority of the party it names signed it and it is about `agreement`'s
    /// current version.
    public static func act(_ text: String, of agreement: Agreement, under charter: AllianceCharter)
        throws(AgreementSignatureError) -> AgreementAct
    {
        guard let claimed = StateSignedDocument.claimed(text, as: AgreementAct.self) else { throw .malformedAct }
        guard agreement.parties.contains(claimed.party) else { throw .notAParty(claimed.party.rawValue) }
        guard let key = charter.key(of: claimed.party) else { throw .notChartered(claimed.party.rawValue) }
        let act: AgreementAct
        do {
            act = try StateSignedDocument.verify(
                text, as: AgreementAct.self, purpose: AgreementAct.signaturePurpose, key: key)
        } catch {
            throw .badSignature(claimed.party.rawValue)
        }
        guard act.agreement == agreement.id, act.version == agreement.version else {
            throw .otherAgreement(act.agreement, act.version)
        }
        return act
    }

    /// Where `agreement` stands by its signatures alone: a party's signature that does not verify
    /// counts as missing, and an act that does not verify, or that its party could not make, as not made.
    public static func standing(of agreement: Agreement, under charter: AllianceCharter) -> AgreementStanding {
        var standing = AgreementStanding(
            signedByEveryParty: signedByEveryParty(agreement.terms, signatures: agreement.signatures, under: charter))
        var seen = Set<String>()
        let acts = agreement.acts.compactMap { text -> AgreementAct? in
            guard seen.insert(text).inserted else { return nil }
            return try? act(text, of: agreement, under: charter)
        }
        for act in acts.sorted(by: { $0.at < $1.at }) {
            if let next = try? standing.applying(act) { standing = next }
        }
        return standing
    }

    /// Whether every party's authority signed `terms`: each signature in `signatures` (by party code)
    /// checked against the key the charter pins for that party.
    public static func signedByEveryParty(
        _ terms: AgreementTerms, signatures: [String: String], under charter: AllianceCharter
    ) -> Bool {
        terms.parties.allSatisfy { party in
            guard let signature = signatures[party.rawValue], let key = charter.key(of: party) else { return false }
            return isValid(signature, over: terms, by: key)
        }
    }

    private static func signedBytes(_ terms: AgreementTerms) throws -> Data {
        SignedDocument.context(AgreementTerms.signaturePurpose) + (try CanonicalJSON.encoder().encode(terms))
    }
}
