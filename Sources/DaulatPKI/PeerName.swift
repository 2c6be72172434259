/// The DNS name an enrolled agent's or custodian's certificate carries beside its SPIFFE identity, one
/// for one: `<host>.host.daulat.invalid`, `<custodian>.custodian.daulat.invalid`. Clients dial a peer by
/// this name (mapped to the address it advertised), so the TLS handshake's own name check proves the
/// peer is the host or custodian they meant to reach, not merely someone the authority enrolled. The
/// `.invalid` domain never resolves (RFC 2606): the name is an identity, never an address.
public enum PeerName {
    public static let domain = "daulat.invalid"
    public static func host(_ hostID: String) -> String { "\(hostID).host.\(domain)" }
    public static func custodian(_ custodianID: String) -> String { "\(custodianID).custodian.\(domain)" }
}
