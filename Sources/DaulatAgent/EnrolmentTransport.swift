import Foundation

/// How a new agent or custodian may reach the public API to enrol, beyond the authority its join token
/// pins: the operator's own CA when the API's certificate comes from it, and whether plain HTTP is
/// acceptable off this machine (only inside a mesh that encrypts it: the join token's secret crosses
/// the network as it is).
public struct EnrolmentTransport: Sendable {
    public var roots: TrustedRoots?
    public var plainHTTP: Bool

    public init(roots: TrustedRoots? = nil, plainHTTP: Bool = false) {
        self.roots = roots
        self.plainHTTP = plainHTTP
    }

    /// Refuses to send a join token to `serverURL` over plain HTTP to another machine unless allowed.
    func check(_ serverURL: String) throws {
        guard let url = URL(string: serverURL), let scheme = url.scheme?.lowercased() else {
            throw AgentError(code: "server_url_invalid", message: "'\(serverURL)' is not a URL of the control plane")
        }
        guard scheme == "http" else { return }
        let loopback = ["127.0.0.1", "localhost", "::1", "[::1]"].contains(url.host?.lowercased() ?? "")
        guard loopback || plainHTTP else {
            throw AgentError(
                code: "plain_http_refused",
                message:
                    "refusing to send the join token to \(serverURL) over plain HTTP, where anyone on the path can read it: use the API's https:// URL, or --insecure-http if a mesh encrypts this traffic"
            )
        }
    }
}
