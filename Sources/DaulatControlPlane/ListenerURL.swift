import Foundation

/// Where an agent or custodian says it listens: `https://host:port`, nothing more, since clients are
/// sent there.
enum ListenerURL {
    static func check(_ url: String, field: String) throws {
        guard url.count <= 200, let parsed = URL(string: url), parsed.scheme == "https",
            parsed.host?.isEmpty == false, parsed.path.isEmpty
        else {
            throw APIError.invalidField("'\(field)' must be https://host:port, nothing more")
        }
    }
}
