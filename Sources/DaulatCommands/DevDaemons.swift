import DaulatAgent
import DaulatControlPlane
import DaulatCore
import DaulatPKI
import Foundation
import ServiceLifecycle

/// The daemons `daulat dev` runs in its own process — an agent per storage host, the alliance's
/// custodians — started once the control plane listens, and talking to it over loopback exactly as
/// remote ones do.
struct DevDaemons: Service {
    /// Makes one daemon, given the control plane's public API and agent listener URLs.
    typealias Make = @Sendable (_ serverURL: String, _ listenerURL: String) throws -> any Service

    let daemons: [Make]
    let listenHost: String
    let banner: DevBanner

    func run() async throws {
        guard let (api, agents) = await banner.waitUntilListening() else { return }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for make in daemons {
                let daemon = try make("https://\(listenHost):\(api)", "https://\(listenHost):\(agents)")
                group.addTask { try await daemon.run() }
            }
            try await group.waitForAll()
        }
    }

    /// A one-hour join token for a daemon that has not enrolled in `directory` yet; nil for one that has.
    static func joinToken(
        for subject: EnrolmentSubject, authority: AuthorityFingerprint, directory: URL, store: some DaulatStore
    ) async throws -> String? {
        guard try AgentCredentials.load(from: directory) == nil else { return nil }
        return try await JoinTokenIssuer.issue(
            for: subject, authority: authority, lifetime: 3_600, store: store, actor: "system:dev", at: Date()
        ).token
    }
}
