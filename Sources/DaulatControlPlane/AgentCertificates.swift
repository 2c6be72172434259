import DaulatCore
import DaulatPKI
import Foundation
import Synchronization
import X509

/// Enrols agents and custodians, renews their certificates and decides whether a presented certificate
/// still identifies one: the built-in certificate authority as the rest of the control plane uses it.
public final class AgentCertificates<Store: DaulatStore>: Sendable {
    let store: Store
    /// How long an agent certificate is valid; agents renew well before it ends.
    let lifetime: TimeInterval
    private let loaded = Mutex<CertificateAuthority?>(nil)

    public init(store: Store, lifetime: TimeInterval) {
        self.store = store
        self.lifetime = lifetime
    }

    /// Makes the authority available; until then enrolment answers 503.
    public func activate(_ authority: CertificateAuthority) {
        loaded.withLock { $0 = authority }
    }

    public func authority() throws -> CertificateAuthority {
        guard let authority = loaded.withLock({ $0 }) else {
            throw APIError(
                .serviceUnavailable, code: "agents_not_ready",
                message: "the control plane is still starting; try again shortly")
        }
        return authority
    }

    /// Redeems a host's join token for a certificate naming the token's host.
    func enrol(_ enrolment: AgentMessages.Enrolment, now: Date) async throws -> AgentMessages.IssuedCertificate {
        let authority = try authority()
        let token = try await redeemable(enrolment.joinToken, now: now)
        guard case .host(let hostID) = token.subject else { throw JoinTokenRefusal.unknown }
        let identity = try await identity(ofHost: hostID, authority: authority)
        let certificate = try await redeem(token, csr: enrolment.csr, identity: identity, now: now)
        return try Self.issued(certificate, identity: identity, authority: authority)
    }

    /// Redeems a custodian's join token for a certificate naming the token's custodian.
    func enrolCustodian(_ enrolment: AgentMessages.Enrolment, now: Date) async throws
        -> CustodianMessages.IssuedCertificate
    {
        let authority = try authority()
        let token = try await redeemable(enrolment.joinToken, now: now)
        guard case .custodian(let custodianID) = token.subject else { throw JoinTokenRefusal.unknown }
        let identity = try await identity(ofCustodian: custodianID, authority: authority)
        let certificate = try await redeem(token, csr: enrolment.csr, identity: identity, now: now)
        return try Self.issued(certificate, identity: identity, authority: authority)
    }

    /// A fresh certificate for an agent that authenticated with its current one.
    func renew(_ renewal: AgentMessages.Renewal, identity: AgentIdentity, now: Date) async throws
        -> AgentMessages.IssuedCertificate
    {
        let certificate = try await reissue(renewal, identity: identity, subject: .host(identity.hostID), now: now)
        return try Self.issued(certificate, identity: identity, authority: try authority())
    }

    /// A fresh certificate for a custodian that authenticated with its current one.
    func renew(_ renewal: AgentMessages.Renewal, identity: CustodianIdentity, now: Date) async throws
        -> CustodianMessages.IssuedCertificate
    {
        let certificate = try await reissue(
            renewal, identity: identity, subject: .custodian(identity.custodianID), now: now)
        return try Self.issued(certificate, identity: identity, authority: try authority())
    }

    /// Who a verified peer certificate stands for, if the control plane still stands by it. The TLS
    /// handshake has already checked the chain and the dates; this checks what only the store knows:
    /// that the certificate was issued to this host or custodian and has not been revoked.
    func authenticate(_ certificate: Certificate) async throws -> EnrolledPeer {
        let authority = try authority()
        let peer: EnrolledPeer
        let subject: EnrolmentSubject
        if let agent = AgentIdentity(certificate: certificate), agent.trustDomain == authority.trustDomain {
            (peer, subject) = (.agent(agent), .host(agent.hostID))
        } else if let custodian = CustodianIdentity(certificate: certificate),
            custodian.trustDomain == authority.trustDomain
        {
            (peer, subject) = (.custodian(custodian), .custodian(custodian.custodianID))
        } else {
            throw APIError(
                .forbidden, code: "certificate_not_enrolled",
                message: "the client certificate names no agent or custodian of this alliance")
        }
        guard let record = try await store.certificate(serial: CertificateAuthority.serial(of: certificate)),
            record.subject == subject
        else {
            throw APIError(
                .forbidden, code: "certificate_unknown",
                message: "the control plane has no record of issuing this certificate")
        }
        guard record.revokedAt == nil else {
            throw APIError(
                .forbidden, code: "certificate_revoked",
                message: "\(subject.kind) '\(subject.id)' has been revoked; enrol it again with a new join token")
        }
        return peer
    }

    /// `text`: the secret alone, as daemons send it, or the token as printed, fingerprint and all (the
    /// fingerprint is for the daemon to check, not the control plane).
    private func redeemable(_ text: String, now: Date) async throws -> JoinToken {
        let secret = JoinTokenText(text)?.secret ?? text
        guard TokenSecret.isWellFormed(secret, prefix: TokenSecret.joinPrefix),
            let token = try await store.joinToken(secretHash: TokenSecret.hash(secret))
        else {
            throw JoinTokenRefusal.unknown
        }
        if let refusal = token.refusal(at: now) { throw refusal }
        return token
    }

    private func redeem(_ token: JoinToken, csr: String, identity: some EnrolledIdentity, now: Date) async throws
        -> Certificate
    {
        // A new enrolment: its certificates carry this token's id in their peer name.
        let certificate = try authority().issueCertificate(
            for: try Self.request(csr), identity: identity, enrolment: token.id, lifetime: lifetime, now: now)
        try await store.redeemJoinToken(
            id: token.id, issuing: Self.record(certificate, subject: token.subject, now: now),
            at: CanonicalJSON.rounded(now), actor: "\(token.subject) (join token \(token.id))"
        )
        return certificate
    }

    private func reissue(
        _ renewal: AgentMessages.Renewal, identity: some EnrolledIdentity, subject: EnrolmentSubject, now: Date
    ) async throws -> Certificate {
        // A renewal stays in the subject's current enrolment, whatever name the certificate it renews had.
        let certificate = try authority().issueCertificate(
            for: try Self.request(renewal.csr), identity: identity, enrolment: try await store.enrolments()[subject],
            lifetime: lifetime, now: now)
        try await store.addCertificate(Self.record(certificate, subject: subject, now: now), actor: "\(subject)")
        return certificate
    }

    private func identity(ofHost hostID: String, authority: CertificateAuthority) async throws -> AgentIdentity {
        guard let host = try await store.topology().hosts.first(where: { $0.id == hostID }) else {
            throw StoreError.notFound(kind: "host", id: hostID)
        }
        return AgentIdentity(trustDomain: authority.trustDomain, siteID: host.siteID, hostID: host.id)
    }

    private func identity(ofCustodian custodianID: String, authority: CertificateAuthority) async throws
        -> CustodianIdentity
    {
        guard let custodian = try await store.custodians().first(where: { $0.id == custodianID }) else {
            throw StoreError.notFound(kind: "custodian", id: custodianID)
        }
        return CustodianIdentity(
            trustDomain: authority.trustDomain, jurisdiction: custodian.jurisdiction.rawValue,
            custodianID: custodian.id)
    }

    private static func request(_ pem: String) throws -> CertificateSigningRequest {
        do {
            return try CertificateSigningRequest(pemEncoded: pem)
        } catch {
            throw CertificateAuthorityError.malformedRequest("\(error)")
        }
    }

    private static func record(_ certificate: Certificate, subject: EnrolmentSubject, now: Date) -> EnrolledCertificate
    {
        EnrolledCertificate(
            serial: CertificateAuthority.serial(of: certificate), subject: subject,
            issuedAt: CanonicalJSON.rounded(now),
            notAfter: CanonicalJSON.rounded(certificate.notValidAfter)
        )
    }

    private static func issued(_ certificate: Certificate, identity: AgentIdentity, authority: CertificateAuthority)
        throws -> AgentMessages.IssuedCertificate
    {
        AgentMessages.IssuedCertificate(
            identity: identity.uri, siteID: identity.siteID, hostID: identity.hostID,
            certificate: try certificate.serializeAsPEM().pemString, caCertificate: try authority.certificatePEM,
            notAfter: CanonicalJSON.rounded(certificate.notValidAfter)
        )
    }

    private static func issued(_ certificate: Certificate, identity: CustodianIdentity, authority: CertificateAuthority)
        throws -> CustodianMessages.IssuedCertificate
    {
        CustodianMessages.IssuedCertificate(
            identity: identity.uri, custodianID: identity.custodianID,
            jurisdiction: try JurisdictionCode(identity.jurisdiction),
            certificate: try certificate.serializeAsPEM().pemString, caCertificate: try authority.certificatePEM,
            notAfter: CanonicalJSON.rounded(certificate.notValidAfter)
        )
    }
}
