import DaulatAgent
import DaulatControlPlane
import DaulatCore
import Foundation
import Logging
import ServiceLifecycle

/// The agents `daulat dev` runs in its own process, one per storage host of the alliance (so every site
/// has at least one, and every placed copy can be made), each with its data under `DIR/agents/HOST`. They enrol once, with join tokens made here, and
/// talk to the control plane over loopback exactly as remote agents do.
struct DevAgents: Service {
    struct Member: Sendable {
        let host: StorageHost
        let jurisdiction: JurisdictionCode
        /// Only for a host whose agent has not enrolled yet.
        let joinToken: String?
    }

    let members: [Member]
    let directory: URL
    let listenHost: String
    let banner: DevBanner
    let logger: Logger

    /// One member per host, with a join token for each agent that has no certificate yet.
    static func members(store: some DaulatStore, directory: URL) async throws -> [Member] {
        let topology = try await store.topology()
        var members: [Member] = []
        for host in topology.hosts {
            guard let site = topology.sites.first(where: { $0.id == host.siteID }) else { continue }
            let enrolled = try AgentCredentials.load(from: directory.appendingPathComponent(host.id)) != nil
            let token =
                enrolled
                ? nil
                : try await JoinTokenIssuer.issue(
                    for: .host(host.id), lifetime: 3_600, store: store, actor: "system:dev", at: Date()
                ).token
            members.append(Member(host: host, jurisdiction: site.jurisdiction, joinToken: token))
        }
        return members
    }

    func run() async throws {
        guard let (api, agents) = await banner.waitUntilListening() else { return }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for member in members {
                var logger = self.logger
                logger[metadataKey: "daulat.agent"] = "\(member.host.id)"
                let agent = AgentService(
                    settings: .init(
                        serverURL: "http://\(listenHost):\(api)", listenerURL: "https://\(listenHost):\(agents)",
                        joinToken: member.joinToken,
                        dataDirectory: directory.appendingPathComponent(member.host.id), heartbeatInterval: .seconds(2),
                        objectHost: listenHost,
                        objectPort: 0, jurisdiction: member.jurisdiction
                    ),
                    logger: logger
                )
                group.addTask { try await agent.run() }
            }
            try await group.waitForAll()
        }
    }
}
