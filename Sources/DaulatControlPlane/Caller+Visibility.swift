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
