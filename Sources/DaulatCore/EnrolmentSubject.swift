/// What a join token enrols, and so what the certificate it is redeemed for names: a storage host's
/// agent or a key custodian.
public enum EnrolmentSubject: Hashable, Sendable, Codable, CustomStringConvertible {
    case host(String)
    case custodian(String)

    public var kind: String {
        switch self {
        case .host: "host"
        case .custodian: "custodian"
        }
    }

    public var id: String {
        switch self {
        case .host(let id), .custodian(let id): id
        }
    }

    /// The id when a host, for a `host_id` column; nil otherwise.
    public var hostID: String? {
        if case .host(let id) = self { id } else { nil }
    }

    public var custodianID: String? {
        if case .custodian(let id) = self { id } else { nil }
    }

    /// `host:<id>` or `custodian:<id>`.
    public var description: String { "\(kind):\(id)" }

    private enum CodingKeys: String, CodingKey { case kind, id }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let id = try container.decode(String.self, forKey: .id)
        switch try container.decode(String.self, forKey: .kind) {
        case "host": self = .host(id)
        case "custodian": self = .custodian(id)
        case let other:
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: container, debugDescription: "'\(other)' is neither host nor custodian")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(id, forKey: .id)
    }
}
