import DaulatCore
import DaulatPKI
import Foundation

/// Which custodians are reporting, and where: only those heard from lately are offered to clients or
/// accepted as holders of a new object's key. A revoked custodian's heartbeats are refused, so it
/// drops out within `silentAfter`.
struct CustodianLiveness<Store: DaulatStore>: Sendable {
    let store: Store

    static var silentAfter: TimeInterval { 90 }

    /// Every custodian with its last reported address; only those heard from lately when `now` is given.
    func holders(at now: Date?) async throws -> [CustodyPlan.Holder] {
        let heartbeats = Dictionary(
            try await store.custodianHeartbeats().map { ($0.custodianID, $0) }, uniquingKeysWith: { first, _ in first })
        let enrolments = try await store.enrolments()
        return try await store.custodians().compactMap { custodian in
            guard let heartbeat = heartbeats[custodian.id] else { return nil }
            if let now, now.timeIntervalSince(heartbeat.at) > Self.silentAfter { return nil }
            return CustodyPlan.Holder(
                custodianID: custodian.id, jurisdiction: custodian.jurisdiction, url: heartbeat.url,
                peerName: PeerName.custodian(custodian.id, enrolment: enrolments[.custodian(custodian.id)]))
        }
    }

    /// From the heartbeats alone (each is of a custodian that exists): one read per registration.
    func reporting(at now: Date) async throws -> Set<String> {
        Set(
            try await store.custodianHeartbeats().filter { now.timeIntervalSince($0.at) <= Self.silentAfter }
                .map(\.custodianID))
    }
}
