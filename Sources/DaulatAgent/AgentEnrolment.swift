import AsyncHTTPClient
import Crypto
import DaulatCore
import DaulatPKI
import Foundation

/// An agent's first contact: a new key made here (it never leaves the host), a signing request, and
/// the one-time join token an operator issued for this host, exchanged for a certificate.
public enum AgentEnrolment {
    public static func enrol(serverURL: String, joinToken: String, client: HTTPClient = .shared) async throws
        -> AgentCredentials
    {
        let key = P256.Signing.PrivateKey()
        let issued = try await AgentHTTP.post(
            serverURL + "/v1/agents/enrol",
            AgentMessages.Enrolment(joinToken: joinToken, csr: try CertificateRequest.pem(signedBy: key)),
            as: AgentMessages.IssuedCertificate.self,
            client: client
        )
        return try AgentCredentials(
            privateKey: key, certificatePEM: issued.certificate, authorityPEM: issued.caCertificate)
    }
}
