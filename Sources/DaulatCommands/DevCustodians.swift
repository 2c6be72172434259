import DaulatCore
import DaulatCrypto
import DaulatCustodian
import DaulatPKI
import Foundation
import Logging

/// The custodians `daulat dev` runs: every one the alliance lists (one per jurisdiction in the
/// example), each with its keystore under `DIR/custodians/ID`, sealed with `keystoreKey`, each pinning
/// the charter in `DIR/charter.json`.
enum DevCustodians {
    static func daemons(
        store: some DaulatStore, authority: AuthorityFingerprint, directory: URL, keystoreKey: AtRestKey,
        charter: AllianceCharter, listenHost: String, logger: Logger
    ) async throws -> [DevDaemons.Make] {
        var daemons: [DevDaemons.Make] = []
        for custodian in try await store.custodians() {
            let dataDirectory = directory.appendingPathComponent(custodian.id)
            let joinToken = try await DevDaemons.joinToken(
                for: .custodian(custodian.id), authority: authority, directory: dataDirectory, store: store)
            var logger = logger
            logger[metadataKey: "daulat.custodian"] = "\(custodian.id)"
            daemons.append { [logger] serverURL, listenerURL in
                CustodianService(
                    settings: .init(
                        serverURL: serverURL, listenerURL: listenerURL, joinToken: joinToken,
                        dataDirectory: dataDirectory, keystoreKey: keystoreKey, charter: charter,
                        heartbeatInterval: .seconds(2),
                        host: listenHost),
                    logger: logger)
            }
        }
        return daemons
    }
}
