import DaulatCore
import Foundation

extension DaulatStore {
    /// Records a copy as an agent's report of an upload with a ticket of its own would: for tests that
    /// need copies in place and are not about how copies are evidenced.
    public func recordUploadedCopy(
        objectID: String, sha256: String, sizeBytes: Int64, hostID: String, at time: Date, actor: String
    ) async throws {
        try await recordCopy(
            objectID: objectID, sha256: sha256, sizeBytes: sizeBytes, hostID: hostID,
            evidence: .upload(ticket: UUID().uuidString.lowercased()), at: time, actor: actor)
    }
}
