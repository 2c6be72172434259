import DaulatAgent
import DaulatControlPlane

extension CustodyPlan.Holder {
    /// The custodian, reached by the name its certificate must carry.
    func peer() throws -> PeerAddress { try PeerAddress.custodian(custodianID, named: peerName, url: url) }
}
