import DaulatCore

/// `POST /v1/tokens/{id}/rotate`: the successor and its secret, shown this once, and the rotated
/// token as it now stands (expiring when its grace ends).
public struct RotatedToken: Codable, Sendable {
    public var token: APIToken
    public var secret: String
    public var rotated: APIToken
}
