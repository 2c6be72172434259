import DaulatCore

/// `POST /v1/datasets/{id}/objects` and `…/objects/{objectID}/download`: where to send or fetch the
/// bytes, with the ticket the agent there will accept, and the authority its certificate is from.
public struct ObjectTransfer: Codable, Sendable {
    public var object: StoredObject
    public var host: String
    /// The name the agent's certificate must carry (``PeerName``): clients dial `url` by it.
    public var peerName: String
    /// `https://…/objects/<object id>` on the chosen agent.
    public var url: String
    /// Sent as `Authorization: Ticket <ticket>`.
    public var ticket: String
    public var caCertificate: String
}

/// `POST /v1/datasets/{id}/objects`.
struct CreateObjectRequest: Decodable, Sendable, StrictlyDecodable {
    static var fields: [String] { ["id", "sha256", "sizeBytes", "keys"] }

    /// Chosen by the client, which seals the object under this id before it registers it.
    var id: String
    /// Of the sealed bytes, as agents will store them.
    var sha256: String
    var sizeBytes: Int64
    /// The object's data key wrapped to the custodians of the dataset's custody plan.
    var keys: [Strict<ObjectKey>]
}

/// `GET /v1/datasets/{id}/objects`.
public struct ObjectList: Codable, Sendable {
    public var objects: [StoredObject]
}
