import Crypto
import DaulatCore
import DaulatPKI
import Foundation
import Testing
import X509

@Suite("Certificate authority")
struct CertificateAuthorityTests {
    let identity = AgentIdentity(trustDomain: "alliance.test", siteID: "id-jkt-1", hostID: "id-jkt-1-a")

    func request(
        _ key: P256.Signing.PrivateKey = P256.Signing.PrivateKey(), commonName: String? = nil, uris: [String] = []
    )
        throws -> CertificateSigningRequest
    {
        var attributes = CertificateSigningRequest.Attributes()
        if !uris.isEmpty {
            let extensions = try Certificate.Extensions {
                SubjectAlternativeNames(uris.map { .uniformResourceIdentifier($0) })
            }
            attributes.insert(try CertificateSigningRequest.Attribute(ExtensionRequest(extensions: extensions)))
        }
        return try CertificateSigningRequest(
            version: .v1,
            subject: try commonName.map { name in try DistinguishedName { CommonName(name) } } ?? DistinguishedName(),
            privateKey: Certificate.PrivateKey(key),
            attributes: attributes,
            signatureAlgorithm: .ecdsaWithSHA256
        )
    }

    @Test(
        "an agent certificate names its host (and the name peers dial it by), is signed by the authority and lives as long as asked"
    )
    func issue() throws {
        let authority = try CertificateAuthority.create(trustDomain: "alliance.test")
        let now = Date()
        let certificate = try authority.issueCertificate(
            for: try request(), identity: identity, lifetime: 3_600, now: now)
        #expect(AgentIdentity(certificate: certificate) == identity)
        #expect(CertificateAuthority.dnsNames(of: certificate) == ["id-jkt-1-a.host.daulat.invalid"])
        let enrolled = try authority.issueCertificate(
            for: try request(), identity: identity, enrolment: "jt-0123456789abcdef", lifetime: 60)
        #expect(CertificateAuthority.dnsNames(of: enrolled) == ["id-jkt-1-a.jt-0123456789abcdef.host.daulat.invalid"])
        #expect(PeerName.isName("id-jkt-1-a.jt-0123456789abcdef.host.daulat.invalid", ofHost: "id-jkt-1-a"))
        #expect(!PeerName.isName("id-jkt-1-a.jt-0123456789abcdef.host.daulat.invalid", ofHost: "id-jkt-1"))
        #expect(!PeerName.isName("id-jkt-1-a.x.y.host.daulat.invalid", ofHost: "id-jkt-1-a"))
        #expect(!PeerName.isName("id-jkt-1-a.jt-1.custodian.daulat.invalid", ofHost: "id-jkt-1-a"))
        #expect(certificate.issuer == authority.certificate.subject)
        #expect(authority.certificate.publicKey.isValidSignature(certificate.signature, for: certificate))
        #expect(abs(certificate.notValidAfter.timeIntervalSince(now) - 3_600) < 1)
        #expect(try certificate.extensions.basicConstraints == .notCertificateAuthority)
        #expect(try certificate.extensions.extendedKeyUsage?.contains(.clientAuth) == true)
        // A request may repeat the identity it will get, but nothing else.
        _ = try authority.issueCertificate(
            for: try request(commonName: "id-jkt-1-a", uris: [identity.uri]), identity: identity, lifetime: 60)
        // Each certificate has its own serial.
        let again = try authority.issueCertificate(
            for: try request(), identity: identity, lifetime: 3_600, now: now)
        #expect(CertificateAuthority.serial(of: again) != CertificateAuthority.serial(of: certificate))
    }

    @Test("a request naming another site or host is refused")
    func anotherIdentity() throws {
        let authority = try CertificateAuthority.create(trustDomain: "alliance.test")
        let otherSite = AgentIdentity(trustDomain: "alliance.test", siteID: "sg-sin-1", hostID: "id-jkt-1-a").uri
        #expect(
            throws: CertificateAuthorityError.requestNamesAnotherIdentity(requested: otherSite, allowed: identity.uri)
        ) {
            try authority.issueCertificate(for: try request(uris: [otherSite]), identity: identity, lifetime: 60)
        }
        #expect(
            throws: CertificateAuthorityError.requestNamesAnotherIdentity(
                requested: "sg-sin-1-a", allowed: identity.uri)
        ) {
            try authority.issueCertificate(
                for: try request(commonName: "sg-sin-1-a"), identity: identity, lifetime: 60)
        }
    }

    @Test("a request not signed by the key it carries is refused")
    func forgedRequest() throws {
        let authority = try CertificateAuthority.create(trustDomain: "alliance.test")
        let genuine = try request()
        let forged = try CertificateSigningRequest(
            version: .v1, subject: genuine.subject,
            publicKey: Certificate.PrivateKey(P256.Signing.PrivateKey()).publicKey,
            attributes: genuine.attributes, signatureAlgorithm: genuine.signatureAlgorithm, signature: genuine.signature
        )
        #expect(throws: CertificateAuthorityError.badRequestSignature) {
            try authority.issueCertificate(for: forged, identity: identity, lifetime: 60)
        }
    }

    @Test("the stored authority opens only with the key that sealed it")
    func sealing() throws {
        let authority = try CertificateAuthority.create(trustDomain: "alliance.test")
        let (key, base64) = CertificateAuthorityKey.generate()
        let stored = try authority.stored(sealedWith: key, at: Date())
        #expect(!stored.sealedKey.contains(base64))
        let reopened = try CertificateAuthority(stored: stored, sealingKey: try CertificateAuthorityKey(base64: base64))
        #expect(reopened.certificate == authority.certificate)
        #expect(reopened.trustDomain == "alliance.test")
        // The reopened authority signs certificates the original's certificate verifies.
        let issued = try reopened.issueCertificate(for: try request(), identity: identity, lifetime: 60)
        #expect(authority.certificate.publicKey.isValidSignature(issued.signature, for: issued))

        #expect(throws: CertificateAuthorityError.wrongSealingKey) {
            try CertificateAuthority(stored: stored, sealingKey: CertificateAuthorityKey.generate().key)
        }
        var tampered = stored
        tampered.sealedKey = String(tampered.sealedKey.dropLast(4)) + "AAAA"
        #expect(throws: CertificateAuthorityError.wrongSealingKey) {
            try CertificateAuthority(stored: tampered, sealingKey: key)
        }
        for bad in ["", "not base64", Data(repeating: 1, count: 16).base64EncodedString()] {
            #expect(throws: CertificateAuthorityError.invalidSealingKey) { try CertificateAuthorityKey(base64: bad) }
        }
    }

    @Test("identity URIs parse only in their one shape")
    func identityURIs() {
        #expect(AgentIdentity(uri: identity.uri) == identity)
        for bad in [
            "https://alliance.test/site/a/host/b", "spiffe://alliance.test/site/a",
            "spiffe://alliance.test/host/b/site/a",
            "spiffe:///site/a/host/b", "spiffe://alliance.test/site//host/b",
            "spiffe://alliance.test/site/a/host/b/extra",
        ] {
            #expect(AgentIdentity(uri: bad) == nil, "\(bad)")
        }
    }
}

@Suite("Signed tickets")
struct SignedTicketTests {
    func ticket(expiresIn seconds: TimeInterval = 60) -> ObjectTicket {
        ObjectTicket(
            operation: .upload, datasetID: "ds-1", objectID: "obj-1", sha256: String(repeating: "ab", count: 32),
            sizeBytes: 10,
            hostID: "id-jkt-1-a", expiresAt: CanonicalJSON.rounded(Date().addingTimeInterval(seconds)), nonce: "n-1"
        )
    }

    @Test("a ticket verifies with the authority that signed it, and with no other")
    func verify() throws {
        let authority = try CertificateAuthority.create(trustDomain: "alliance.test")
        let original = ticket()
        let signed = try SignedTicket.sign(original, with: authority)
        #expect(try SignedTicket.verify(signed, authority: authority.certificate) == original)
        let stranger = try CertificateAuthority.create(trustDomain: "alliance.test")
        #expect(throws: TicketError.badSignature) { try SignedTicket.verify(signed, authority: stranger.certificate) }
    }

    @Test("a changed, truncated, malformed or expired ticket is refused")
    func refusals() throws {
        let authority = try CertificateAuthority.create(trustDomain: "alliance.test")
        let signed = try SignedTicket.sign(ticket(), with: authority)
        let parts = signed.split(separator: ".").map(String.init)
        var changed = ticket()
        changed.hostID = "sg-sin-1-a"
        let otherPayload = try SignedTicket.sign(changed, with: authority).split(separator: ".").map(String.init)[0]
        #expect(throws: TicketError.badSignature) {
            try SignedTicket.verify(otherPayload + "." + parts[1], authority: authority.certificate)
        }
        #expect(throws: TicketError.badSignature) {
            try SignedTicket.verify(parts[0] + "." + parts[1].dropLast(4), authority: authority.certificate)
        }
        for malformed in ["", "abc", parts[0], "!!!.???"] {
            #expect(throws: TicketError.self) { try SignedTicket.verify(malformed, authority: authority.certificate) }
        }
        let expired = try SignedTicket.sign(ticket(expiresIn: -1), with: authority)
        #expect(throws: TicketError.expired) { try SignedTicket.verify(expired, authority: authority.certificate) }
    }
}
