import DaulatCore
import Foundation

/// What a jurisdiction's authority says of one of its members — an agency, or a subsystem of one —
/// signed with the authority's key, not the operator's: the member's name, the agency it acts for, its
/// key, and how long this holds. Anything the member signs is checked against this key, and this
/// certificate against the authority key the alliance pinned for the jurisdiction.
public struct MemberCertificate: Codable, Sendable, Equatable {
    public static let signaturePurpose = "member-certificate"

    public var member: MemberID
    /// The jurisdiction whose authority vouches for the member.
    public var jurisdiction: JurisdictionCode
    /// The agency the member acts for, as datasets and owner tokens name it.
    public var agency: String
    /// The member's Ed25519 key, base64 of the 32 raw bytes.
    public var publicKey: String
    public var issuedAt: Date
    public var notAfter: Date

    public init(
        member: MemberID, jurisdiction: JurisdictionCode, agency: String, publicKey: StateVerifyingKey,
        issuedAt: Date, notAfter: Date
    ) {
        self.member = member
        self.jurisdiction = jurisdiction
        self.agency = agency
        self.publicKey = publicKey.description
        self.issuedAt = issuedAt
        self.notAfter = notAfter
    }

    /// The certificate as the authority hands it out.
    public func signed(with authority: StateSigningKey) throws -> String {
        try StateSignedDocument.sign(self, purpose: Self.signaturePurpose, with: authority)
    }

    /// The certificate in `text`, if `authority` (the key pinned for `jurisdiction`) signed it, it names
    /// a member of that jurisdiction, and it holds at `time`.
    public static func verify(
        _ text: String, authority: StateVerifyingKey, jurisdiction: JurisdictionCode, at time: Date
    ) throws(StateSignatureError) -> MemberCertificate {
        let certificate = try StateSignedDocument.verify(
            text, as: MemberCertificate.self, purpose: signaturePurpose, key: authority)
        guard certificate.jurisdiction == jurisdiction else {
            throw .wrongJurisdiction(expected: jurisdiction.rawValue, found: certificate.jurisdiction.rawValue)
        }
        // A minute of clock difference between the authority and whoever checks.
        guard time.addingTimeInterval(60) >= certificate.issuedAt else { throw .notYetValid }
        guard time < certificate.notAfter else { throw .expired }
        guard (try? StateVerifyingKey(certificate.publicKey)) != nil else { throw .malformed }
        return certificate
    }

    /// The member's key (checked to parse when the certificate was verified).
    public var key: StateVerifyingKey {
        get throws { try StateVerifyingKey(publicKey) }
    }
}
