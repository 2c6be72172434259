/// What an agent or custodian keeps of the control plane's answer to its enrolment or renewal: its
/// certificate and the authority's (the rest names who it is, which the certificate says too).
struct IssuedCredentials: Decodable {
    let certificate: String
    let caCertificate: String
}
