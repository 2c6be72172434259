/// `GET /v1/ca`: the alliance's certificate authority, which signs agents', custodians' and the API's
/// certificates, tickets and assignment sets; and its fingerprint (`sha256:` and hex of the DER).
public struct AuthorityCertificate: Codable, Sendable {
    public var certificate: String
    public var fingerprint: String

    public init(certificate: String, fingerprint: String) {
        self.certificate = certificate
        self.fingerprint = fingerprint
    }
}
