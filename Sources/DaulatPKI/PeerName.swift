/// The DNS name an enrolled agent's or custodian's certificate carries beside its SPIFFE identity:
/// `<host>.<enrolment>.host.daulat.invalid`, `<custodian>.<enrolment>.custodian.daulat.invalid`, where
/// the enrolment is the join token the host or custodian last enrolled with (renewals keep it). Clients
/// dial a peer by the name the control plane gives for it now (mapped to the address it advertised), so
/// the TLS handshake's own name check proves the peer is the host or custodian they meant to reach —
/// and enrolled as it is now: a certificate of an earlier enrolment (revoked, its key perhaps stolen)
/// carries another name. The `.invalid` domain never resolves (RFC 2606): the name is an identity,
/// never an address.
public enum PeerName {
    public static let domain = "daulat.invalid"

    /// `enrolment`: the join token id; nil for a certificate issued without one (a name of the id alone).
    public static func host(_ hostID: String, enrolment: String?) -> String {
        name(hostID, enrolment: enrolment, kind: "host")
    }

    public static func custodian(_ custodianID: String, enrolment: String?) -> String {
        name(custodianID, enrolment: enrolment, kind: "custodian")
    }

    /// Whether `name` is a peer name of host `hostID` (of any enrolment): what a client checks a name
    /// the control plane gave it against, before dialling.
    public static func isName(_ name: String, ofHost hostID: String) -> Bool {
        isName(name, of: hostID, kind: "host")
    }

    public static func isName(_ name: String, ofCustodian custodianID: String) -> Bool {
        isName(name, of: custodianID, kind: "custodian")
    }

    private static func name(_ id: String, enrolment: String?, kind: String) -> String {
        ([id] + (enrolment.map { [$0] } ?? []) + [kind, domain]).joined(separator: ".")
    }

    private static func isName(_ name: String, of id: String, kind: String) -> Bool {
        let suffix = ".\(kind).\(domain)"
        guard name.hasPrefix(id + "."), name.hasSuffix(suffix) else { return false }
        let middle = name.dropFirst(id.count + 1).dropLast(suffix.count)
        return middle.isEmpty || !middle.contains(".")
    }
}
