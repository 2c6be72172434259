import AsyncHTTPClient
import DaulatAgent
import NIOSSL
import Synchronization

/// What a running custodian holds that a certificate renewal changes: its credentials, the client
/// presenting them to the control plane, and the certificate its own listener presents.
final class CustodianState: Sendable {
    private struct Current {
        var credentials: AgentCredentials
        var client: HTTPClient
        var certificate: NIOSSLCertificate
        var key: NIOSSLPrivateKey
    }

    private let current: Mutex<Current>

    init(credentials: AgentCredentials) throws {
        current = Mutex(try Self.current(credentials))
    }

    var credentials: AgentCredentials { current.withLock { $0.credentials } }
    var client: HTTPClient { current.withLock { $0.client } }

    /// Uses `credentials` from now on; returns the previous client, for the caller to shut down.
    func replace(with credentials: AgentCredentials) throws -> HTTPClient {
        let next = try Self.current(credentials)
        return current.withLock { current in
            defer { current = next }
            return current.client
        }
    }

    func serverIdentity() -> NIOSSLContextConfigurationOverride {
        current.withLock { current in
            var identity = NIOSSLContextConfigurationOverride()
            identity.certificateChain = [.certificate(current.certificate)]
            identity.privateKey = .privateKey(current.key)
            return identity
        }
    }

    private static func current(_ credentials: AgentCredentials) throws -> Current {
        Current(
            credentials: credentials, client: try AgentConnection.makeClient(credentials: credentials),
            certificate: try NIOSSLCertificate(bytes: Array(credentials.certificatePEM.utf8), format: .pem),
            key: try NIOSSLPrivateKey(bytes: Array(credentials.privateKey.pemRepresentation.utf8), format: .pem))
    }
}
