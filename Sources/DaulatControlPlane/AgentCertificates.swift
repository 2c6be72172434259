import DaulatCore
import DaulatPKI
import Foundation
import Synchronization
import X509

/// Enrols agents, renews their certificates and decides whether a presented certificate still
/// identifies a host: the built-in certificate authority as the rest of the control plane uses it.
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

    /// Redeems a join token for a certificate naming the token's host.
    func enrol(_ enrolment: AgentMessages.Enrolment, now: Date) async throws -> AgentMessages.IssuedCertificate {
        let authority = try authority()
        guard TokenSecret.isWellFormed(enrolment.joinToken, prefix: TokenSecret.joinPrefix),
            let token = try await store.joinToken(secretHash: TokenSecret.hash(enrolment.joinToken))
        else {
            throw JoinTokenRefusal.unknown
        }
        if let refusal = token.refusal(at: now) { throw refusal }
        let identity = try await identity(ofHost: token.hostID, authority: authority)
        let certificate = try authority.issueAgentCertificate(
            for: try Self.request(enrolment.csr), identity: identity, lifetime: lifetime, now: now
        )
        try await store.redeemJoinToken(
            id: token.id, issuing: Self.record(certificate, host: identity.hostID, now: now),
            at: CanonicalJSON.rounded(now),
            actor: "agent:\(identity.hostID) (join token \(token.id))"
        )
        return try Self.issued(certificate, identity: identity, authority: authority)
    }

    /// A fresh certificate for an agent that authenticated with its current one.
    func renew(_ renewal: AgentMessages.Renewal, identity: AgentIdentity, now: Date) async throws
        -> AgentMessages.IssuedCertificate
    {
        let authority = try authority()
        let certificate = try authority.issueAgentCertificate(
            for: try Self.request(renewal.csr), identity: identity, lifetime: lifetime, now: now)
        try await store.addHostCertificate(
            Self.record(certificate, host: identity.hostID, now: now), actor: "agent:\(identity.hostID)")
        return try Self.issued(certificate, identity: identity, authority: authority)
    }

    /// The identity a verified peer certificate stands for, if the control plane still stands by it.
    /// The TLS handshake has already checked the chain and the dates; this checks what only the store
    /// knows: that the certificate was issued to this host and has not been revoked.
    func authenticate(_ certificate: Certificate) async throws -> AgentIdentity {
        let authority = try authority()
        guard let identity = AgentIdentity(certificate: certificate), identity.trustDomain == authority.trustDomain
        else {
            throw APIError(
                .forbidden, code: "certificate_not_agent",
                message: "the client certificate names no agent of this alliance")
        }
        guard let record = try await store.hostCertificate(serial: CertificateAuthority.serial(of: certificate)),
            record.hostID == identity.hostID
        else {
            throw APIError(
                .forbidden, code: "certificate_unknown",
                message: "the control plane has no record of issuing this certificate")
        }
        guard record.revokedAt == nil else {
            throw APIError(
                .forbidden, code: "certificate_revoked",
                message: "host '\(identity.hostID)' has been revoked; enrol it again with a new join token")
        }
        return identity
    }

    private func identity(ofHost hostID: String, authority: CertificateAuthority) async throws -> AgentIdentity {
        guard let host = try await store.topology().hosts.first(where: { $0.id == hostID }) else {
            throw StoreError.notFound(kind: "host", id: hostID)
        }
        return AgentIdentity(trustDomain: authority.trustDomain, siteID: host.siteID, hostID: host.id)
    }

    private static func request(_ pem: String) throws -> CertificateSigningRequest {
        do {
            return try CertificateSigningRequest(pemEncoded: pem)
        } catch {
            throw CertificateAuthorityError.malformedRequest("\(error)")
        }
    }

    private static func record(_ certificate: Certificate, host: String, now: Date) -> HostCertificate {
        HostCertificate(
            serial: CertificateAuthority.serial(of: certificate), hostID: host, issuedAt: CanonicalJSON.rounded(now),
            notAfter: CanonicalJSON.rounded(certificate.notValidAfter)
        )
    }

    private static func issued(_ certificate: Certificate, identity: AgentIdentity, authority: CertificateAuthority)
        throws
        -> AgentMessages.IssuedCertificate
    {
        AgentMessages.IssuedCertificate(
            identity: identity.uri, siteID: identity.siteID, hostID: identity.hostID,
            certificate: try certificate.serializeAsPEM().pemString, caCertificate: try authority.certificatePEM,
            notAfter: CanonicalJSON.rounded(certificate.notValidAfter)
        )
    }
}
