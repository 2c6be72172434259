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
    /// Makes each custodian's identity key in its directory, if it has none yet, and tells the control
    /// plane, so that the records its state signs next pin it (the custodian reports the same key once
    /// it runs).
    static func prepareIdentityKeys(store: some DaulatStore, directory: URL) async throws {
        for custodian in try await store.custodians() {
            let key = try CustodianIdentityKey.loadOrCreate(in: directory.appendingPathComponent(custodian.id))
            try await store.recordCustodianIdentityKey(
                key.publicKey.description, custodianID: custodian.id, at: Date(), actor: "system:dev")
        }
    }

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
