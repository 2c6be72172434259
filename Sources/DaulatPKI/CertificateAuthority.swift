import Crypto
import DaulatCore
import Foundation
import SwiftASN1
import X509

/// The control plane's own certificate authority for agents (and, later, custodians). It signs short
/// lived client certificates that name one host of one site, and the server certificate of the
/// control plane's agent listener; nothing else trusts it and it trusts nothing else.
public struct CertificateAuthority: Sendable {
    public let trustDomain: String
    public let certificate: Certificate
    private let privateKey: P256.Signing.PrivateKey

    /// A new authority, valid for ten years.
    public static func create(trustDomain: String, now: Date = Date()) throws -> CertificateAuthority {
        let key = P256.Signing.PrivateKey()
        let signingKey = Certificate.PrivateKey(key)
        let name = try DistinguishedName {
            OrganizationName("Daulat")
            CommonName("Daulat agent CA for \(trustDomain)")
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: signingKey.publicKey,
            notValidBefore: now.addingTimeInterval(-300),
            notValidAfter: now.addingTimeInterval(10 * 365 * 86_400),
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: signingKey.publicKey)
            },
            issuerPrivateKey: signingKey
        )
        return CertificateAuthority(trustDomain: trustDomain, certificate: certificate, privateKey: key)
    }

    /// Opens a stored authority with the key its private key was sealed with.
    public init(stored: StoredCertificateAuthority, sealingKey: CertificateAuthorityKey) throws {
        let keyBytes = try sealingKey.open(stored.sealedKey)
        self.init(
            trustDomain: stored.trustDomain,
            certificate: try Certificate(pemEncoded: stored.certificatePEM),
            privateKey: try P256.Signing.PrivateKey(derRepresentation: keyBytes)
        )
    }

    private init(trustDomain: String, certificate: Certificate, privateKey: P256.Signing.PrivateKey) {
        self.trustDomain = trustDomain
        self.certificate = certificate
        self.privateKey = privateKey
    }

    /// The form the store keeps, the private key sealed with `sealingKey`.
    public func stored(sealedWith sealingKey: CertificateAuthorityKey, at time: Date) throws
        -> StoredCertificateAuthority
    {
        StoredCertificateAuthority(
            trustDomain: trustDomain,
            certificatePEM: try certificatePEM,
            sealedKey: try sealingKey.seal(privateKey.derRepresentation),
            createdAt: time
        )
    }

    public var certificatePEM: String {
        get throws { try certificate.serializeAsPEM().pemString }
    }

    /// What clients pin this authority by.
    public var fingerprint: AuthorityFingerprint {
        get throws { try AuthorityFingerprint(of: certificate) }
    }

    /// Signs a client certificate for `identity` over the key in `request`, valid from now for
    /// `lifetime`. The request must be signed by its own key, and may name no identity but `identity`.
    /// `enrolment`, the join token the identity last enrolled with, goes into its peer name.
    public func issueCertificate(
        for request: CertificateSigningRequest,
        identity: some EnrolledIdentity,
        enrolment: String? = nil,
        lifetime: TimeInterval,
        now: Date = Date()
    ) throws -> Certificate {
        guard request.publicKey.isValidSignature(request.signature, for: request) else {
            throw CertificateAuthorityError.badRequestSignature
        }
        for requested in Self.requestedNames(request)
        where requested != identity.uri && requested != identity.commonName {
            throw CertificateAuthorityError.requestNamesAnotherIdentity(requested: requested, allowed: identity.uri)
        }
        return try sign(
            publicKey: request.publicKey,
            subject: try DistinguishedName {
                OrganizationName("Daulat")
                OrganizationalUnitName(identity.organizationalUnit)
                CommonName(identity.commonName)
            },
            alternativeNames: [
                .uniformResourceIdentifier(identity.uri), .dnsName(identity.peerName(enrolment: enrolment)),
            ],
            usages: [.clientAuth, .serverAuth],
            lifetime: lifetime,
            now: now
        )
    }

    /// Signs the certificate one of the control plane's listeners presents (`listener`: "agent
    /// listener", "API"), for the names clients dial.
    public func issueServerCertificate(
        publicKey: Certificate.PublicKey, names: [String], lifetime: TimeInterval, now: Date = Date(),
        listener: String = "agent listener"
    )
        throws -> Certificate
    {
        try sign(
            publicKey: publicKey,
            subject: try DistinguishedName {
                OrganizationName("Daulat")
                CommonName("Daulat control plane (\(listener))")
            },
            alternativeNames: names.map { name in
                if let address = IPv4Address(name) {
                    return .ipAddress(ASN1OctetString(contentBytes: address.bytes[...]))
                }
                return .dnsName(name)
            },
            usages: [.serverAuth],
            lifetime: lifetime,
            now: now
        )
    }

    /// An ECDSA P-256 signature (DER) over `data` by the authority's key, for statements agents verify
    /// with the authority's certificate (see ``SignedTicket``).
    func sign(_ data: Data) throws -> Data {
        try privateKey.signature(for: data).derRepresentation
    }

    /// The serial number as the store records it.
    public static func serial(of certificate: Certificate) -> String {
        Hex.encode(certificate.serialNumber.bytes)
    }

    private func sign(
        publicKey: Certificate.PublicKey,
        subject: DistinguishedName,
        alternativeNames: [GeneralName],
        usages: [ExtendedKeyUsage.Usage],
        lifetime: TimeInterval,
        now: Date
    ) throws -> Certificate {
        let signingKey = Certificate.PrivateKey(privateKey)
        return try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: publicKey,
            // Grace for clocks that disagree a little: a minute, less for very short lifetimes so that
            // renewing at two thirds of the validity still means "later", not "now".
            notValidBefore: now.addingTimeInterval(-min(60, lifetime / 10)),
            notValidAfter: now.addingTimeInterval(lifetime),
            issuer: certificate.subject,
            subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage(usages)
                SubjectAlternativeNames(alternativeNames)
                AuthorityKeyIdentifier(keyIdentifier: try certificate.extensions.subjectKeyIdentifier?.keyIdentifier)
            },
            issuerPrivateKey: signingKey
        )
    }

    /// The URIs among a certificate's subject alternative names: where enrolled identities are named.
    public static func identityURIs(of certificate: Certificate) -> [String] {
        (((try? certificate.extensions.subjectAlternativeNames) ?? nil).map(Array.init) ?? []).compactMap { name in
            guard case .uniformResourceIdentifier(let uri) = name else { return nil }
            return uri
        }
    }

    /// The DNS names among a certificate's subject alternative names (an enrolled one's ``PeerName``).
    public static func dnsNames(of certificate: Certificate) -> [String] {
        (((try? certificate.extensions.subjectAlternativeNames) ?? nil).map(Array.init) ?? []).compactMap { name in
            guard case .dnsName(let dns) = name else { return nil }
            return dns
        }
    }

    /// Every name a request asks for: URIs and DNS names in its requested extensions, and its common names.
    private static func requestedNames(_ request: CertificateSigningRequest) -> [String] {
        var names = request.subject.flatMap { $0 }.compactMap { attribute -> String? in
            guard attribute.type == .RDNAttributeType.commonName else { return nil }
            return String(describing: attribute.value)
        }
        let requested: SubjectAlternativeNames? =
            (try? request.attributes.extensionRequest?.extensions.subjectAlternativeNames) ?? nil
        for name in requested.map(Array.init) ?? [] {
            switch name {
            case .uniformResourceIdentifier(let uri): names.append(uri)
            case .dnsName(let dns): names.append(dns)
            default: names.append(String(describing: name))
            }
        }
        return names
    }
}

/// A dotted-quad IPv4 address, for certificates of listeners reached by address.
private struct IPv4Address {
    let bytes: [UInt8]

    init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard let byte = UInt8(part) else { return nil }
            bytes.append(byte)
        }
        self.bytes = bytes
    }
}
