import DaulatCore
import NIOSSL
import Synchronization

/// What the agent's parts share and renewal replaces: the connection to the control plane (and so
/// the certificate), the same certificate served to clients, and where the agent serves objects.
final class AgentState: Sendable {
    private struct Current {
        var connection: AgentConnection
        var certificate: NIOSSLCertificate
        var key: NIOSSLPrivateKey
        var dataURL: String?
    }

    private let current: Mutex<Current>
    /// Blobs the scrub found corrupted and set aside, not yet reported in an inventory.
    private let corrupted = Mutex<Set<String>>([])
    /// Counts blobs stored or released and reported, so an inventory listed while one changed can be
    /// sent again at once.
    private let blobChanges = Mutex(0)

    init(connection: AgentConnection) throws {
        let (certificate, key) = try Self.tlsMaterial(connection.credentials)
        current = Mutex(Current(connection: connection, certificate: certificate, key: key, dataURL: nil))
    }

    var connection: AgentConnection { current.withLock { $0.connection } }
    var credentials: AgentCredentials { connection.credentials }
    var dataURL: String? { current.withLock { $0.dataURL } }

    func setDataURL(_ url: String) {
        current.withLock { $0.dataURL = url }
    }

    func noteCorrupted(_ sha256: String) {
        corrupted.withLock { _ = $0.insert(sha256) }
    }

    func noteBlobChange() {
        blobChanges.withLock { $0 += 1 }
    }

    var blobChangeCount: Int { blobChanges.withLock { $0 } }

    var hasCorrupted: Bool { corrupted.withLock { !$0.isEmpty } }

    /// The corrupted blobs noted so far, forgetting them: they go into the next inventory.
    func takeCorrupted() -> Set<String> {
        corrupted.withLock { set in
            defer { set = [] }
            return set
        }
    }

    /// Installs a connection with renewed credentials; returns the previous one, to be shut down.
    func replace(with connection: AgentConnection) throws -> AgentConnection {
        let (certificate, key) = try Self.tlsMaterial(connection.credentials)
        return current.withLock { current in
            let previous = current.connection
            current.connection = connection
            current.certificate = certificate
            current.key = key
            return previous
        }
    }

    /// The certificate and key to present in a TLS handshake now: the latest, without a restart.
    func serverIdentity() -> NIOSSLContextConfigurationOverride {
        current.withLock { current in
            var identity = NIOSSLContextConfigurationOverride()
            identity.certificateChain = [.certificate(current.certificate)]
            identity.privateKey = .privateKey(current.key)
            return identity
        }
    }

    static func tlsMaterial(_ credentials: AgentCredentials) throws -> (NIOSSLCertificate, NIOSSLPrivateKey) {
        (
            try NIOSSLCertificate(bytes: Array(credentials.certificatePEM.utf8), format: .pem),
            try NIOSSLPrivateKey(bytes: Array(credentials.privateKey.pemRepresentation.utf8), format: .pem)
        )
    }
}
