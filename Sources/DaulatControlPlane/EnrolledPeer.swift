import DaulatPKI

/// Who is on the other end of a connection to the agent listener, by its verified certificate.
enum EnrolledPeer: Sendable {
    case agent(AgentIdentity)
    case custodian(CustodianIdentity)

    var name: String {
        switch self {
        case .agent(let identity): "agent:\(identity.hostID)"
        case .custodian(let identity): "custodian:\(identity.custodianID)"
        }
    }
}
