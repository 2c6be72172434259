/// `POST /v1/audit/checkpoint/cosignatures`: a checkpoint note with a witness's cosignature line.
struct CosignatureSubmission: Codable, Sendable, StrictlyDecodable {
    static var fields: [String] { ["checkpoint"] }

    var checkpoint: String
}
