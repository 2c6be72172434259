import DaulatCore

extension APIToken {
    /// Whether this token may see `dataset`. Anything it may not see is reported as not found, so a
    /// token cannot even learn that another agency's dataset exists.
    func canSee(_ dataset: Dataset, placement: Placement?) -> Bool {
        switch role {
        case .operator: true
        case .owner: dataset.ownerAgency == agency
        case .regulator:
            dataset.home == jurisdiction || (placement?.choices.contains { $0.jurisdiction == jurisdiction } ?? false)
        }
    }

    /// Whether this token may change `dataset` (having already been allowed to see it).
    func canChange(_ dataset: Dataset) -> Bool {
        switch role {
        case .operator: true
        case .owner: dataset.ownerAgency == agency
        case .regulator: false
        }
    }
}

extension DaulatStore {
    /// The dataset `id` if `caller` may see it; otherwise not found, whether or not it exists.
    func dataset(id: String, visibleTo caller: APIToken) async throws -> Dataset {
        guard let dataset = try await dataset(id: id),
            caller.canSee(dataset, placement: caller.role == .regulator ? try await placement(datasetID: id) : nil)
        else {
            throw APIError.notFound("dataset", id)
        }
        return dataset
    }
}
