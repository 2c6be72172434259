import DaulatCore
import Foundation
import Hummingbird

/// `/custodian/v1` on the agent listener: what an enrolled custodian asks of the control plane.
struct CustodianAPIController<Store: DaulatStore>: Sendable {
    let store: Store
    let certificates: AgentCertificates<Store>
    let clock: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<AgentRequestContext>) {
        group.post("heartbeat") { request, context in
            let custodian = try context.requireCustodian()
            let heartbeat = try await RequestBody.decode(Strict<CustodianMessages.Heartbeat>.self, from: request).value
            try ListenerURL.check(heartbeat.url, field: "url")
            let now = CanonicalJSON.rounded(clock())
            try await store.recordCustodianHeartbeat(
                CustodianHeartbeat(custodianID: custodian.custodianID, at: now, url: heartbeat.url))
            return try JSONResponse.make(AgentMessages.HeartbeatReceipt(identity: custodian.uri, receivedAt: now))
        }
        group.post("renew") { request, context in
            let custodian = try context.requireCustodian()
            let renewal = try await RequestBody.decode(Strict<AgentMessages.Renewal>.self, from: request).value
            return try JSONResponse.make(
                try await certificates.renew(renewal, identity: custodian, now: clock()))
        }
    }
}

extension CustodianMessages.Heartbeat: StrictlyDecodable {
    static var fields: [String] { ["url"] }
}
