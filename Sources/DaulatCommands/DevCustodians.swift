import DaulatAgent
import DaulatControlPlane
import DaulatCore
import DaulatCrypto
import DaulatCustodian
import Foundation
import Logging
import ServiceLifecycle

/// The custodians `daulat dev` runs in its own process, one for each the alliance lists (one per
/// jurisdiction in the example), each with its keystore under `DIR/custodians/ID`, sealed with a key made
/// on first start. They enrol once, with join tokens made here, and are reached over loopback TLS
/// exactly as remote custodians are.
struct DevCustodians: Service {
    struct Member: Sendable {
        let custodian: Custodian
        /// Only for a custodian that has not enrolled yet.
        let joinToken: String?
    }

    let members: [Member]
    let directory: URL
    let keystoreKey: AtRestKey
    let listenHost: String
    let banner: DevBanner
    let logger: Logger

    static func members(store: some DaulatStore, directory: URL) async throws -> [Member] {
        var members: [Member] = []
        for custodian in try await store.custodians() {
            let enrolled = try AgentCredentials.load(from: directory.appendingPathComponent(custodian.id)) != nil
            let token =
                enrolled
                ? nil
                : try await JoinTokenIssuer.issue(
                    for: .custodian(custodian.id), lifetime: 3_600, store: store, actor: "system:dev", at: Date()
                ).token
            members.append(Member(custodian: custodian, joinToken: token))
        }
        return members
    }

    func run() async throws {
        guard let (api, agents) = await banner.waitUntilListening() else { return }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for member in members {
                var logger = self.logger
                logger[metadataKey: "daulat.custodian"] = "\(member.custodian.id)"
                let custodian = CustodianService(
                    settings: .init(
                        serverURL: "http://\(listenHost):\(api)", listenerURL: "https://\(listenHost):\(agents)",
                        joinToken: member.joinToken,
                        dataDirectory: directory.appendingPathComponent(member.custodian.id),
                        keystoreKey: keystoreKey, heartbeatInterval: .seconds(2), host: listenHost),
                    logger: logger)
                group.addTask { try await custodian.run() }
            }
            try await group.waitForAll()
        }
    }
}
