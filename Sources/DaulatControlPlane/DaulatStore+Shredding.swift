import DaulatCore
import Foundation

extension DaulatStore {
    /// A dataset whose shred has executed is read, unwrapped and added to by no one: 410. With
    /// `pendingToo`, one waiting to be shredded takes no new objects either: 409.
    func refuseIfShredded(_ datasetID: String, pendingToo: Bool = false) async throws {
        for shred in try await shreds(datasetID: datasetID) {
            if shred.state == .executing {
                throw APIError(
                    .gone, code: "dataset_shredded",
                    message:
                        "dataset '\(datasetID)' has been shredded: its keys are destroyed and its copies being deleted")
            }
            if pendingToo, shred.state == .pending {
                throw APIError(
                    .conflict, code: "dataset_shred_pending",
                    message:
                        "dataset '\(datasetID)' is to be shredded at \(CanonicalJSON.format(shred.executeAt)); cancel the shred first"
                )
            }
        }
    }

    /// The datasets whose shred has executed and not yet completed.
    func shreddingDatasets() async throws -> Set<String> {
        Set(try await activeShreds().filter { $0.state == .executing }.map(\.datasetID))
    }
}
