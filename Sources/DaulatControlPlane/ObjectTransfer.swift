import DaulatCore

/// `POST /v1/datasets/{id}/objects` and `…/objects/{objectID}/download`: where to send or fetch the
/// bytes, with the ticket the agent there will accept, and the authority its certificate is from.
public struct ObjectTransfer: Codable, Sendable {
    public var object: StoredObject
    public var host: String
    /// `https://…/objects/<sha256>` on the chosen agent.
    public var url: String
    /// Sent as `Authorization: Ticket <ticket>`.
    public var ticket: String
    public var caCertificate: String
}

/// `POST /v1/datasets/{id}/objects`.
struct CreateObjectRequest: Codable, Sendable, StrictlyDecodable {
    static var fields: [String] { ["sha256", "sizeBytes"] }

    var sha256: String
    var sizeBytes: Int64
}

/// `GET /v1/datasets/{id}/objects`.
public struct ObjectList: Codable, Sendable {
    public var objects: [StoredObject]
}
