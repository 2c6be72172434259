import DaulatCore
import DaulatTestSupport
import Foundation
import Testing

/// What `daulat host list --output json` and `daulat host join-token` print, read back by tests.
enum AgentListing {
    struct Entry: Decodable {
        let host: String
        let lastHeartbeat: Date?
        let dataURL: String?
    }

    private struct Listed: Decodable {
        let agents: [Entry]
    }

    static func entries(environment: [String: String]) async throws -> [Entry] {
        let (status, output) = try await DaulatProcess.run(
            ["host", "list", "--output", "json"], environment: environment)
        #expect(status == 0, "\(output)")
        return try CanonicalJSON.decoder().decode(Listed.self, from: Data(output.utf8)).agents
    }

    static func joinToken(for host: String, environment: [String: String]) async throws -> String {
        let (status, output) = try await DaulatProcess.run(
            ["host", "join-token", host, "--ttl", "300", "--output", "json"], environment: environment)
        #expect(status == 0, "\(output)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        return try #require(json["token"] as? String)
    }
}
