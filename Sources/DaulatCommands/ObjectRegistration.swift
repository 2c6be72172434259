import Crypto
import DaulatControlPlane
import DaulatCore
import Foundation

/// Registers a sealed object with the control plane, its data key wrapped to the dataset's custodians;
/// the answer says which agent takes the sealed bytes.
enum ObjectRegistration {
    static func register(
        objectID: String, keyID: String, dataKey: SymmetricKey, sha256: String, sizeBytes: Int64, dataset: String,
        custody: CustodyKeys, api: APIClient
    ) async throws -> (transfer: ObjectTransfer, keys: [ObjectKey]) {
        let keys = try custody.wrap(dataKey, objectID: objectID, keyID: keyID)
        let data = try await api.send(
            .POST, APIClient.path("v1", "datasets", dataset, "objects"),
            body: [
                "id": AnyEncodable(objectID), "sha256": AnyEncodable(sha256), "sizeBytes": AnyEncodable(sizeBytes),
                "keys": AnyEncodable(keys),
            ])
        return (try CanonicalJSON.decoder().decode(ObjectTransfer.self, from: data), keys)
    }

    /// For benchmarks, whose objects are random bytes (as sealed bytes look) never opened: registered
    /// with a fresh data key wrapped like any other.
    static func registerRandom(
        sha256: String, sizeBytes: Int64, dataset: String, custody: CustodyKeys, api: APIClient
    ) async throws -> ObjectTransfer {
        try await register(
            objectID: Identifier.random(prefix: "obj-", length: 20),
            keyID: Identifier.random(prefix: "dk-", length: 20),
            dataKey: SymmetricKey(size: .bits256), sha256: sha256, sizeBytes: sizeBytes, dataset: dataset,
            custody: custody, api: api
        ).transfer
    }
}
