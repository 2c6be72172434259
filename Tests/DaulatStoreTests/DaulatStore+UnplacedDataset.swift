import DaulatCore
import Foundation

extension DaulatStore {
    /// Registers a `restricted` dataset as it stands before placement has chosen any host: what the
    /// store tests need to hang objects, copies and keys on.
    @discardableResult
    func createUnplacedDataset(
        id: String, name: String? = nil, agency: String = "bps", home: String = "ID",
        policy: ResidencyPolicy = ResidencyPolicy(replicas: 2), at time: Date, actor: String
    ) async throws -> Dataset {
        let dataset = Dataset(
            id: id, name: name ?? id, ownerAgency: agency, home: try JurisdictionCode(home),
            classification: "restricted", policy: policy, createdAt: time, updatedAt: time)
        try await createDataset(
            dataset,
            placement: Placement(
                datasetID: dataset.id, computedAt: time, choices: [], excludedSites: [], violations: []),
            plannedAtCatalogVersion: try await catalogVersion(), idempotency: nil, actor: actor)
        return dataset
    }
}
