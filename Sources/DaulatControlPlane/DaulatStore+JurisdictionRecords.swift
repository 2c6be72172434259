import DaulatCore

extension DaulatStore {
    /// The states' signed records in the order of their jurisdictions, as policy bundles carry them.
    func orderedJurisdictionRecords() async throws -> [String] {
        try await jurisdictionRecords().sorted { $0.key.rawValue < $1.key.rawValue }.map(\.value)
    }
}
