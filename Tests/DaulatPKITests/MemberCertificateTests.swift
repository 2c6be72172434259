import DaulatCore
import DaulatPKI
import Foundation
import Testing

@Suite("Member certificates")
struct MemberCertificateTests {
    let authority = StateSigningKey.generate()
    let member = StateSigningKey.generate()
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func certificate(jurisdiction: String = "ID", days: Double = 365) throws -> MemberCertificate {
        MemberCertificate(
            member: try MemberID("ASEAN/GOV/ID-BPS/census"), jurisdiction: try JurisdictionCode(jurisdiction),
            agency: "bps", publicKey: member.publicKey, issuedAt: now, notAfter: now.addingTimeInterval(days * 86_400))
    }

    @Test("an authority's certificate verifies with its key, for its jurisdiction, while it holds")
    func verifies() throws {
        let issued = try certificate()
        let text = try issued.signed(with: authority)
        let verified = try MemberCertificate.verify(
            text, authority: authority.publicKey, jurisdiction: try JurisdictionCode("ID"),
            at: now.addingTimeInterval(60))
        #expect(verified == issued)
        #expect(try verified.key == member.publicKey)
    }

    @Test("another authority's, another jurisdiction's, a changed, an expired or early certificate is refused")
    func refused() throws {
        let id = try JurisdictionCode("ID")
        let text = try certificate().signed(with: authority)
        let later = now.addingTimeInterval(60)
        #expect(throws: StateSignatureError.badSignature) {
            try MemberCertificate.verify(
                text, authority: StateSigningKey.generate().publicKey, jurisdiction: id, at: later)
        }
        // A genuine certificate for a member of Singapore does not make it Indonesia's.
        let singaporean = try certificate(jurisdiction: "SG").signed(with: authority)
        #expect(throws: StateSignatureError.wrongJurisdiction(expected: "ID", found: "SG")) {
            try MemberCertificate.verify(singaporean, authority: authority.publicKey, jurisdiction: id, at: later)
        }
        #expect(throws: StateSignatureError.expired) {
            try MemberCertificate.verify(
                text, authority: authority.publicKey, jurisdiction: id, at: now.addingTimeInterval(366 * 86_400))
        }
        // A minute's clock difference is allowed, no more.
        _ = try MemberCertificate.verify(
            text, authority: authority.publicKey, jurisdiction: id, at: now.addingTimeInterval(-60))
        #expect(throws: StateSignatureError.notYetValid) {
            try MemberCertificate.verify(
                text, authority: authority.publicKey, jurisdiction: id, at: now.addingTimeInterval(-61))
        }
        // The agency changed in the signed text: the signature no longer covers it.
        let parts = text.split(separator: ".").map(String.init)
        let payload = String(decoding: Base64URL.decode(parts[0])!, as: UTF8.self)
        let changed =
            Base64URL.encode(Data(payload.replacingOccurrences(of: "\"bps\"", with: "\"bin\"").utf8)) + "." + parts[1]
        #expect(throws: StateSignatureError.badSignature) {
            try MemberCertificate.verify(changed, authority: authority.publicKey, jurisdiction: id, at: later)
        }
        for malformed in ["", "abc", "a.b.c", text + "x"] {
            #expect(throws: StateSignatureError.self) {
                try MemberCertificate.verify(malformed, authority: authority.publicKey, jurisdiction: id, at: later)
            }
        }
    }

    @Test("a statement the authority signed for another purpose is not a certificate")
    func purposeBound() throws {
        let statement = try StateSignedDocument.sign(try certificate(), purpose: "agreement", with: authority)
        #expect(throws: StateSignatureError.badSignature) {
            try MemberCertificate.verify(
                statement, authority: authority.publicKey, jurisdiction: try JurisdictionCode("ID"), at: now)
        }
    }

    @Test("keys round-trip through PKCS#8 and SPKI PEM; anything else is refused")
    func pem() throws {
        let key = StateSigningKey.generate()
        let reread = try StateSigningKey(pem: key.pemRepresentation)
        #expect(reread.publicKey == key.publicKey)
        #expect(key.pemRepresentation.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        #expect(try StateVerifyingKey(key.publicKey.pemRepresentation) == key.publicKey)
        #expect(try StateVerifyingKey(key.publicKey.description) == key.publicKey)
        #expect(throws: StateSigningKeyError.notAnEd25519PrivateKey) { try StateSigningKey(pem: "not a key") }
        #expect(throws: StateSigningKeyError.notAnEd25519PrivateKey) {
            try StateSigningKey(pem: key.publicKey.pemRepresentation)
        }
        #expect(throws: StateSigningKeyError.notAnEd25519PublicKey) { try StateVerifyingKey("AAAA") }
    }
}
