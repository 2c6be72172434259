import DaulatPKI
import Foundation

/// An agent or custodian as a client reaches it: the URL it advertised, and the name its certificate
/// must carry (``PeerName``). Requests go to ``url(_:)``, the advertised URL with that name for its
/// host; the client maps the name back to the advertised address, so the handshake checks the name.
public struct PeerAddress: Hashable, Sendable {
    /// The name the peer's certificate must carry.
    public let name: String
    /// The host (name or address) the peer advertised, which the client connects to.
    let address: String
    /// The advertised URL with ``name`` for its host.
    private let base: URLComponents

    /// `url`: as the control plane lists it (`https://10.0.0.5:7443`, or with a path).
    init(name: String, url: String) throws {
        guard var components = URLComponents(string: url), components.scheme == "https",
            let address = components.host, !address.isEmpty
        else { throw AgentError(message: "'\(url)' is not an https:// URL of an agent or custodian") }
        self.name = name
        self.address = address
        components.host = name
        base = components
    }

    /// Host `hostID` at `url`, by the name the control plane gave for it, checked to be one of that
    /// host's: the control plane names the enrolment, never another host.
    public static func host(_ hostID: String, named name: String, url: String) throws -> PeerAddress {
        guard PeerName.isName(name, ofHost: hostID) else {
            throw AgentError(message: "'\(name)' is not a name of host \(hostID); refusing to dial it")
        }
        return try PeerAddress(name: name, url: url)
    }

    public static func custodian(_ custodianID: String, named name: String, url: String) throws -> PeerAddress {
        guard PeerName.isName(name, ofCustodian: custodianID) else {
            throw AgentError(message: "'\(name)' is not a name of custodian \(custodianID); refusing to dial it")
        }
        return try PeerAddress(name: name, url: url)
    }

    /// The URL to request: the advertised one under the peer's name, with `path` appended.
    public func url(_ path: String = "") -> String {
        (base.string ?? "") + path
    }
}
