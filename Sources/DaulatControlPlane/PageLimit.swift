/// The `limit` query parameter of a listing: 1 to 1000 items a page.
enum PageLimit {
    static func parse(_ value: Substring?, default defaultLimit: Int = 100) throws -> Int {
        guard let value else { return defaultLimit }
        guard let parsed = Int(String(value)), (1...1000).contains(parsed) else {
            throw APIError.invalidParameter("'limit' must be an integer from 1 to 1000")
        }
        return parsed
    }
}
