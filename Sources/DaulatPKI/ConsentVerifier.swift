import DaulatCore
import Foundation

/// Checks a consent to unwrap against the alliance charter alone — the control plane before it
/// decides, every custodian again before it releases — so that no operator key, token or database
/// row can stand in for the owner state's signature.
///
/// An owner's read (owner access, disaster recovery) must be signed by a member whose certificate the
/// home state's authority signed for the owning agency; an order (a regulator's, a law-enforcement
/// request) must be signed by the home state's authority itself.
public struct ConsentVerifier: Sendable {
    public let charter: AllianceCharter
    /// How far a consent's issue time may be ahead of this clock.
    public static let clockSkew: TimeInterval = 60

    public init(charter: AllianceCharter) { self.charter = charter }

    public func verify(
        _ signedConsent: String, certificate: String?, ownerAgency: String, home: JurisdictionCode,
        at now: Date
    ) throws(ConsentError) -> UnwrapConsent {
        guard let authority = charter.key(of: home) else { throw .noAuthority(home.rawValue) }
        let consent: UnwrapConsent
        if let certificate {
            let member: MemberCertificate
            do {
                member = try MemberCertificate.verify(certificate, authority: authority, jurisdiction: home, at: now)
            } catch {
                throw .certificate(error)
            }
            guard member.agency == ownerAgency else {
                throw .notOwner(
                    "member \(member.member) acts for agency '\(member.agency)', the data is '\(ownerAgency)''s")
            }
            guard member.member.instance == charter.instance else {
                throw .notOwner("member \(member.member) is not named in the alliance's instance \(charter.instance)")
            }
            consent = try Self.open(signedConsent, key: try? member.key)
            guard consent.member == member.member else {
                throw .notOwner(
                    "the consent names \(consent.member?.description ?? "no member"), the certificate \(member.member)")
            }
            guard !consent.request.justification.needsReference else {
                throw .wrongSigner(
                    "a \(consent.request.justification.rawValue) needs the signature of \(home.rawValue)'s authority, not an agency's"
                )
            }
        } else {
            consent = try Self.open(signedConsent, key: authority)
            guard consent.member == nil, consent.request.justification.needsReference else {
                throw .wrongSigner(
                    "\(home.rawValue)'s authority signs orders (regulator-order, law-enforcement-request); an agency's own read needs its member's signature and certificate"
                )
            }
        }
        guard consent.issuedAt < consent.expiresAt,
            consent.expiresAt.timeIntervalSince(consent.issuedAt) <= UnwrapConsent.longestLife,
            consent.issuedAt.addingTimeInterval(-Self.clockSkew) <= now, now < consent.expiresAt
        else { throw .expired }
        return consent
    }

    private static func open(_ text: String, key: StateVerifyingKey?) throws(ConsentError) -> UnwrapConsent {
        guard let key else { throw .certificate(.malformed) }
        do {
            return try StateSignedDocument.verify(
                text, as: UnwrapConsent.self, purpose: UnwrapConsent.signaturePurpose, key: key)
        } catch .badSignature {
            throw .badSignature
        } catch {
            throw .unreadable
        }
    }
}
