import AsyncHTTPClient
import Crypto
import DaulatCore
import DaulatPKI
import Foundation
import Logging

/// An agent's or custodian's first contact: a new key made here (it never leaves the host), a signing
/// request, and the one-time join token an operator issued for it, exchanged for a certificate. The
/// token names the authority to trust by its fingerprint: the secret goes only to a server whose
/// certificate that authority (or one of `roots`, the operator's own) vouches for, and a reply naming
/// another authority is refused. Plain HTTP to another machine is refused unless `transport` allows it.
public enum AgentEnrolment {
    /// `path`: the public API's enrolment route for this kind of daemon.
    public static func enrol(
        serverURL: String, path: String = "/v1/agents/enrol", joinToken: String,
        transport: EnrolmentTransport = EnrolmentTransport()
    ) async throws -> AgentCredentials {
        try transport.check(serverURL)
        guard let token = JoinTokenText(joinToken) else {
            throw AgentError(
                code: "join_token_malformed",
                message:
                    "the join token is not one this version reads: it must be the secret, a dot, and the authority's fingerprint (64 hex digits), as `daulat host join-token` or `daulat custody join-token` prints it"
            )
        }
        let authority = try await TrustedRoots.fetchAuthority(from: serverURL, pinned: token.authority)
        let key = P256.Signing.PrivateKey()
        let issued = try await AgentHTTP.post(
            serverURL + path,
            AgentMessages.Enrolment(joinToken: token.secret, csr: try CertificateRequest.pem(signedBy: key)),
            as: IssuedCredentials.self,
            client: try TrustedRoots(certificates: [authority]).adding(transport.roots).client()
        )
        guard token.authority.matches(pem: issued.caCertificate) else {
            throw AgentError(
                code: "authority_mismatch",
                message:
                    "the enrolment reply names a certificate authority other than the one the join token pins (\(token.authority)): refused, nothing saved"
            )
        }
        return try AgentCredentials(
            privateKey: key, certificatePEM: issued.certificate, authorityPEM: issued.caCertificate)
    }

    /// The credentials saved in `directory` while still valid; otherwise new ones, enrolled with
    /// `joinToken` at `path` and saved there. `daemon` names the kind ("agent", "custodian") in errors.
    public static func credentials(
        in directory: URL, joinToken: String?, serverURL: String, path: String, daemon: String,
        transport: EnrolmentTransport = EnrolmentTransport(), logger: Logger
    ) async throws -> AgentCredentials {
        if let saved = try AgentCredentials.load(from: directory) {
            if saved.certificate.notValidAfter > Date() {
                logger.info("using the saved certificate")
                return saved
            }
            guard joinToken != nil else {
                throw AgentError(
                    message:
                        "the saved certificate expired at \(CanonicalJSON.format(saved.certificate.notValidAfter)); enrol this \(daemon) again with a new join token (--join-token)"
                )
            }
        }
        guard let joinToken else {
            throw AgentError(
                message:
                    "this \(daemon) has not enrolled yet: pass the join token an operator issued (--join-token or DAULAT_JOIN_TOKEN)"
            )
        }
        let enrolled = try await enrol(serverURL: serverURL, path: path, joinToken: joinToken, transport: transport)
        try enrolled.save(to: directory)
        logger.notice(
            "enrolled",
            metadata: ["daulat.identity": "\(CertificateAuthority.identityURIs(of: enrolled.certificate).first ?? "?")"]
        )
        return enrolled
    }
}
