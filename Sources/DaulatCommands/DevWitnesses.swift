import DaulatAgent
import DaulatCore
import DaulatPKI
import Foundation
import Logging
import ServiceLifecycle

/// The states' witnesses `daulat dev` runs, one per jurisdiction with a key in `DIR/witnesses`: every
/// few seconds the log's latest head is published, and each witness checks it extends what it
/// cosigned before (kept in `DIR/witnesses/CODE.state`) and cosigns it, as `daulat witness` does on a
/// state's own machine.
struct DevWitnesses: Service {
    let banner: DevBanner
    let listenHost: String
    let directory: URL
    let jurisdictions: [JurisdictionCode]
    let token: String
    let authorityFile: URL
    let logger: Logger

    static let interval = Duration.seconds(5)

    func run() async throws {
        guard let (port, _) = await banner.waitUntilListening() else { return }
        let folder = DevStateKeys.witnessDirectory(in: directory)
        var api = APIClient(
            baseURL: "https://\(listenHost):\(port)", token: token, pin: .roots(try TrustedRoots.load(authorityFile)))
        api.keepsConnections = false
        // On one machine the witnesses may take the log's key from the API; a state's own witness is
        // given it (daulat witness --log-key).
        let logKey = try await api.get("/v1/audit/public-key", as: [String: String].self).0["publicKey"] ?? ""
        let witnesses = try jurisdictions.map { code in
            LogWitness(
                name: Checkpoint.witnessName(instance: DevStateKeys.instance, jurisdiction: code),
                key: try StateKeyFiles.read(folder.appendingPathComponent("\(code.rawValue).pem").path),
                logKey: logKey, stateFile: folder.appendingPathComponent("\(code.rawValue).state"))
        }
        // Like the agents and custodians `daulat dev` runs, they stop on SIGTERM or SIGINT themselves.
        try await ServiceGroup(
            configuration: .init(
                services: [WitnessRounds(api: api, witnesses: witnesses, logger: logger, interval: Self.interval)],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        ).run()
        // Done before `daulat dev` as a whole has asked: wait for it to, as its other parts do.
        try? await gracefulShutdown()
    }
}
