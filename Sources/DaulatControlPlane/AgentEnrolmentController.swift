import DaulatCore
import DaulatPKI
import Foundation
import Hummingbird

/// Bringing hosts in and out: operators issue one-time join tokens and revoke hosts; an agent redeems
/// a join token for its first certificate. Enrolment is on the public API because a new agent has no
/// certificate yet; the join token is its only credential.
struct AgentEnrolmentController<Store: DaulatStore>: Sendable {
    let store: Store
    let certificates: AgentCertificates<Store>
    /// Woken by a revocation: every agent's set names the revoked hosts.
    let changes: AssignmentChanges
    let clock: @Sendable () -> Date

    static var defaultTokenLifetime: Int { 3_600 }
    static var longestTokenLifetime: Int { 7 * 86_400 }

    /// Routes that need an operator's bearer token.
    func addOperatorRoutes(to group: RouterGroup<ControlPlaneContext>) {
        group.post("join-tokens") { request, context in
            let caller = try context.requireOperator()
            let body = try await RequestBody.decode(Strict<CreateJoinTokenRequest>.self, from: request).value
            let ttl = body.ttlSeconds ?? Self.defaultTokenLifetime
            guard (1...Self.longestTokenLifetime).contains(ttl) else {
                throw APIError.invalidField("'ttlSeconds' must be from 1 to \(Self.longestTokenLifetime)")
            }
            let subject: EnrolmentSubject
            switch (body.host, body.custodian) {
            case (let host?, nil): subject = .host(host)
            case (nil, let custodian?): subject = .custodian(custodian)
            default: throw APIError.invalidField("give exactly one of 'host' and 'custodian'")
            }
            let issued = try await JoinTokenIssuer.issue(
                for: subject, authority: try certificates.authority().fingerprint, lifetime: TimeInterval(ttl),
                store: store, actor: caller.auditActor, at: clock()
            )
            return try JSONResponse.make(issued, status: .created)
        }
        group.get("agents") { _, context in
            _ = try context.requireOperator()
            let heartbeats = Dictionary(
                try await store.heartbeats().map { ($0.hostID, $0) }, uniquingKeysWith: { first, _ in first })
            let flagged = Dictionary(grouping: try await store.flaggedBlobs(), by: \.hostID)
            let enrolments = try await store.enrolments()
            let agents = try await store.topology().hosts.map { host in
                let heartbeat = heartbeats[host.id]
                return AgentList.Entry(
                    host: host.id, site: host.siteID, lastHeartbeat: heartbeat?.at,
                    capacityBytes: heartbeat?.capacityBytes,
                    freeBytes: heartbeat?.freeBytes, dataURL: heartbeat?.dataURL,
                    peerName: enrolments[.host(host.id)].map { PeerName.host(host.id, enrolment: $0) },
                    flaggedBlobs: flagged[host.id]?.map(\.blob) ?? []
                )
            }
            return try JSONResponse.make(AgentList(agents: agents))
        }
        group.post("hosts/:id/revoke") { _, context in
            let caller = try context.requireOperator()
            let id = try context.parameters.require("id")
            let revoked = try await store.revoke(
                .host(id), at: CanonicalJSON.rounded(clock()), actor: caller.auditActor)
            changes.signal()
            return try JSONResponse.make(Revocation(host: id, revokedCertificates: revoked))
        }
        group.post("custodians/:id/revoke") { _, context in
            let caller = try context.requireOperator()
            let id = try context.parameters.require("id")
            let revoked = try await store.revoke(
                .custodian(id), at: CanonicalJSON.rounded(clock()), actor: caller.auditActor)
            return try JSONResponse.make(Revocation(custodian: id, revokedCertificates: revoked))
        }
    }

    /// `GET /v1/ca`, `POST /v1/agents/enrol` and `POST /v1/custodians/enrol`, outside bearer
    /// authentication. The authority's certificate is public: a client fetches it over a connection it
    /// cannot check yet, and trusts it only if it hashes to the fingerprint it was given.
    func addEnrolmentRoute(to router: Router<ControlPlaneContext>) {
        router.get("v1/ca") { _, _ in
            let authority = try certificates.authority()
            return try JSONResponse.make(
                AuthorityCertificate(
                    certificate: try authority.certificatePEM, fingerprint: try authority.fingerprint.description))
        }
        router.post("v1/agents/enrol") { request, _ in
            let enrolment = try await RequestBody.decode(Strict<AgentMessages.Enrolment>.self, from: request).value
            return try JSONResponse.make(try await certificates.enrol(enrolment, now: clock()), status: .created)
        }
        router.post("v1/custodians/enrol") { request, _ in
            let enrolment = try await RequestBody.decode(Strict<AgentMessages.Enrolment>.self, from: request).value
            return try JSONResponse.make(
                try await certificates.enrolCustodian(enrolment, now: clock()), status: .created)
        }
    }
}

extension AgentMessages.Enrolment: StrictlyDecodable {
    static var fields: [String] { ["joinToken", "csr"] }
}

extension AgentMessages.Renewal: StrictlyDecodable {
    static var fields: [String] { ["csr"] }
}

extension AgentMessages.Heartbeat: StrictlyDecodable {
    static var fields: [String] { ["capacityBytes", "freeBytes", "dataURL"] }
}

extension AgentMessages.CopyReport: StrictlyDecodable {
    static var fields: [String] { ["objectID", "ticket"] }
}

extension AgentMessages.ServedTransfer: StrictlyDecodable {
    static var fields: [String] { ["ticket"] }
}

extension AgentMessages.Refusal: StrictlyDecodable {
    static var fields: [String] { ["objectID", "reason"] }
}

extension AgentMessages.Inventory: StrictlyDecodable {
    static var fields: [String] { ["objects", "corrupt", "legacy"] }
}

extension AgentMessages.Release: StrictlyDecodable {
    static var fields: [String] { ["objectID"] }
}
