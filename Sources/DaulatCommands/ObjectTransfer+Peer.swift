import DaulatAgent
import DaulatControlPlane

extension ObjectTransfer {
    /// The agent the ticket is for, reached by the name its certificate must carry.
    func peer() throws -> PeerAddress { try PeerAddress.host(host, named: peerName, url: url) }
}
