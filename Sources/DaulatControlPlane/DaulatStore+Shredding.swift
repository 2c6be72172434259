import DaulatCore
import Foundation

extension DaulatStore {
    /// A dataset whose shred has executed is read, unwrapped and added to by no one: 410.
    func refuseIfShredded(_ datasetID: String) async throws {
        guard try await shreds(datasetID: datasetID).contains(where: { $0.state == .executing }) else { return }
        throw APIError(
            .gone, code: "dataset_shredded",
            message: "dataset '\(datasetID)' has been shredded: its keys are destroyed and its copies being deleted")
    }

    /// The datasets whose shred has executed and not yet completed.
    func shreddingDatasets() async throws -> Set<String> {
        Set(try await activeShreds().filter { $0.state == .executing }.map(\.datasetID))
    }
}
