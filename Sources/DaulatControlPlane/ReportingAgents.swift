import DaulatCore
import DaulatPKI
import Foundation

/// The agents the control plane may send a transfer to now: reporting recently, serving objects, on a
/// host whose site the dataset may be stored at, and not revoked since they last reported (a host
/// enrolled again reports again). Checked at every transfer, not only by the planner, so a ticket never
/// sends bytes where they may not be.
struct ReportingAgents: Sendable {
    /// An agent not heard from for this long is not sent any transfer.
    static var silence: TimeInterval { 30 }

    /// An agent a transfer may go to: its host, where it serves objects, and the name its certificate
    /// carries for its current enrolment.
    struct Agent: Sendable {
        let host: String
        let url: String
        let peerName: String
    }

    let topology: Topology
    let heartbeats: [String: HostHeartbeat]
    let revoked: [String: Date]
    let enrolments: [EnrolmentSubject: String]
    let now: Date

    init(store: some DaulatStore, at now: Date) async throws {
        topology = try await store.topology()
        heartbeats = Dictionary(
            try await store.heartbeats().map { ($0.hostID, $0) }, uniquingKeysWith: { first, _ in first })
        // With the tickets' life as margin: assignment sets publish the same list, a ticket issued before a
        // revocation lasting that long after the certificate it went with.
        revoked = try await store.revokedHosts(at: now, margin: ObjectTicket.lifetime)
        enrolments = try await store.enrolments()
        self.now = now
    }

    /// The first of `hosts` (in their order) that qualifies under `policy`, with its object server's URL.
    func first(among hosts: [String], allowedBy policy: EvaluatedPolicy) -> Agent? {
        first(among: hosts) { policy.permitsStorage(at: $0) }
    }

    /// The first of `hosts` that may send a copy to a host placed to hold it: one in an allowed place
    /// if any is reporting, otherwise any reporting holder. A copy being evacuated from a place it may
    /// no longer be is read there to make its replacement; the bytes land only where they may be.
    func source(among hosts: [String], allowedBy policy: EvaluatedPolicy) -> Agent? {
        first(among: hosts, allowedBy: policy) ?? first(among: hosts) { _ in true }
    }

    private func first(among hosts: [String], where qualifies: (Site) -> Bool) -> Agent? {
        for hostID in hosts {
            guard let host = topology.hosts.first(where: { $0.id == hostID }),
                let site = topology.sites.first(where: { $0.id == host.siteID }), qualifies(site),
                let heartbeat = heartbeats[hostID], let url = heartbeat.dataURL,
                now.timeIntervalSince(heartbeat.at) <= Self.silence,
                revoked[hostID].map({ heartbeat.at > $0 }) ?? true
            else { continue }
            return Agent(host: hostID, url: url, peerName: PeerName.host(hostID, enrolment: enrolments[.host(hostID)]))
        }
        return nil
    }
}
