import DaulatAgent
import DaulatCore
import DaulatPKI
import Foundation
import Logging

/// The agents `daulat dev` runs: one per storage host of the alliance (so every site has at least
/// one, and every placed copy can be made), each with its data under `DIR/agents/HOST`, pinning the
/// charter in `DIR/charter.json` as its state would give it.
enum DevAgents {
    static func daemons(
        store: some DaulatStore, authority: AuthorityFingerprint, directory: URL, charter: AllianceCharter,
        listenHost: String, logger: Logger
    ) async throws -> [DevDaemons.Make] {
        let topology = try await store.topology()
        var daemons: [DevDaemons.Make] = []
        for host in topology.hosts {
            guard let site = topology.sites.first(where: { $0.id == host.siteID }) else { continue }
            let dataDirectory = directory.appendingPathComponent(host.id)
            let joinToken = try await DevDaemons.joinToken(
                for: .host(host.id), authority: authority, directory: dataDirectory, store: store)
            var logger = logger
            logger[metadataKey: "daulat.agent"] = "\(host.id)"
            daemons.append { [logger] serverURL, listenerURL in
                AgentService(
                    settings: .init(
                        serverURL: serverURL, listenerURL: listenerURL, joinToken: joinToken,
                        dataDirectory: dataDirectory, heartbeatInterval: .seconds(2), objectHost: listenHost,
                        objectPort: 0, jurisdiction: site.jurisdiction, charter: charter),
                    logger: logger)
            }
        }
        return daemons
    }
}
