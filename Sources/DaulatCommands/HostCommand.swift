import ArgumentParser
import DaulatControlPlane
import DaulatCore
import Foundation

/// `daulat host …`: bringing storage hosts' agents in and out (operator).
struct HostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "host",
        abstract: "List, enrol and revoke storage hosts' agents (operator).",
        subcommands: [HostList.self, HostJoinToken.self, HostRevoke.self]
    )
}

struct HostList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List hosts with what their agents last reported.",
        discussion: """
            FLAGGED BLOBS counts blobs a host's agent holds that are no object's (left in place, and \
            listed by hash with --output json) until they are gone.
            """
    )

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let (list, data) = try await client.client().get("/v1/agents", as: AgentList.self)
        try Output.print(data, format: client.output) {
            var table = Table("HOST", "SITE", "LAST HEARTBEAT", "FREE", "CAPACITY", "FLAGGED BLOBS")
            for agent in list.agents {
                table.add(
                    agent.host, agent.site, agent.lastHeartbeat.map(CanonicalJSON.format) ?? "never",
                    agent.freeBytes.map(Self.gibibytes) ?? "-", agent.capacityBytes.map(Self.gibibytes) ?? "-",
                    "\(agent.flaggedBlobs.count)"
                )
            }
            return table
        }
    }

    static func gibibytes(_ bytes: Int64) -> String {
        String(format: "%.1f GiB", Double(bytes) / 1_073_741_824)
    }
}

struct HostJoinToken: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "join-token",
        abstract: "Issue a one-time token with which the agent of HOST enrols.",
        discussion: """
            The token is printed once. Give it to the host's agent:
              daulat agent --server URL --agent-server URL --join-token TOKEN --data-dir DIR
            It can be used once, before it expires, and only for this host.
            """
    )

    @OptionGroup var client: ClientOptions
    @Argument(help: "The host, as the alliance definition names it.") var host: String
    @Option(help: "Seconds the token stays valid (at most a week).") var ttl = 3_600

    func run() async throws {
        let body: [String: AnyEncodable] = ["host": AnyEncodable(host), "ttlSeconds": AnyEncodable(ttl)]
        let data = try await client.client().send(.POST, "/v1/join-tokens", body: body)
        let issued = try CanonicalJSON.decoder().decode(IssuedJoinToken.self, from: data)
        try Output.print(data, format: client.output) {
            var table = Table("HOST", "EXPIRES", "JOIN TOKEN (shown once)")
            table.add(host, CanonicalJSON.format(issued.expiresAt), issued.token)
            return table
        }
    }
}

struct HostRevoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Refuse HOST's agent from now on: every certificate issued to it is revoked.",
        discussion: "To bring the host back, issue a new join token and enrol its agent again."
    )

    @OptionGroup var client: ClientOptions
    @Argument(help: "The host to revoke.") var host: String

    func run() async throws {
        let data = try await client.client().send(.POST, APIClient.path("v1", "hosts", host, "revoke"))
        let revocation = try CanonicalJSON.decoder().decode(Revocation.self, from: data)
        try Output.print(data, format: client.output) {
            var table = Table("HOST", "CERTIFICATES REVOKED")
            table.add(host, "\(revocation.revokedCertificates)")
            return table
        }
    }
}
