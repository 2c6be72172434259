import Crypto
import DaulatFiles
import DaulatPKI
import Foundation
import X509

/// The agent's key, its certificate and the authority that signed it, kept in the agent's data
/// directory (the key readable by its owner only) so a restart needs no new join token.
public struct AgentCredentials: Sendable {
    public let privateKey: P256.Signing.PrivateKey
    public let certificatePEM: String
    public let authorityPEM: String
    public let certificate: Certificate

    public init(privateKey: P256.Signing.PrivateKey, certificatePEM: String, authorityPEM: String) throws {
        self.privateKey = privateKey
        self.certificatePEM = certificatePEM
        self.authorityPEM = authorityPEM
        self.certificate = try Certificate(pemEncoded: certificatePEM)
    }

    public var identity: AgentIdentity? { AgentIdentity(certificate: certificate) }

    /// When to ask for the next certificate: two thirds of the way through this one's life; at once for
    /// one issued before certificates carried the name peers dial (``PeerName``).
    public var renewAt: Date {
        guard CertificateAuthority.dnsNames(of: certificate).contains(where: { $0.hasSuffix("." + PeerName.domain) })
        else { return .distantPast }
        let start = certificate.notValidBefore
        return start.addingTimeInterval(certificate.notValidAfter.timeIntervalSince(start) * 2 / 3)
    }

    static func keyFile(in directory: URL) -> URL { directory.appendingPathComponent("agent.key") }
    static func certificateFile(in directory: URL) -> URL { directory.appendingPathComponent("agent.crt") }
    static func authorityFile(in directory: URL) -> URL { directory.appendingPathComponent("ca.crt") }

    /// The credentials saved in `directory`, or nil if the agent has not enrolled there.
    public static func load(from directory: URL) throws -> AgentCredentials? {
        guard FileManager.default.fileExists(atPath: certificateFile(in: directory).path) else { return nil }
        return try AgentCredentials(
            privateKey: try P256.Signing.PrivateKey(
                pemRepresentation: String(contentsOf: keyFile(in: directory), encoding: .utf8)),
            certificatePEM: try String(contentsOf: certificateFile(in: directory), encoding: .utf8),
            authorityPEM: try String(contentsOf: authorityFile(in: directory), encoding: .utf8)
        )
    }

    /// Writes each file whole (temporary file, then rename), the key with mode 0600 from the start.
    public func save(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Self.write(privateKey.pemRepresentation, to: Self.keyFile(in: directory), mode: 0o600)
        try Self.write(authorityPEM, to: Self.authorityFile(in: directory), mode: 0o644)
        // Last, so that a certificate on disk always has its key and authority beside it.
        try Self.write(certificatePEM, to: Self.certificateFile(in: directory), mode: 0o644)
    }

    private static func write(_ text: String, to file: URL, mode: mode_t) throws {
        try DurableFile.write(Data(text.utf8), to: file, mode: mode)
    }
}
