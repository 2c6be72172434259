import DaulatCore

/// `GET /v1/tokens`: every token, never a secret nor its hash.
struct TokenList: Codable, Sendable {
    var tokens: [APIToken]
}
