/// `POST /v1/datasets/{id}/shred`.
struct ShredRequest: Codable, Sendable, StrictlyDecodable {
    static var fields: [String] { ["windowSeconds"] }

    /// A pending window longer than the server's; never shorter.
    var windowSeconds: Int?
}
