import ArgumentParser
import DaulatControlPlane
import DaulatCore
import Foundation

/// `daulat custody …`: bringing key custodians in and out (operator).
struct CustodyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "custody",
        abstract: "List, enrol and revoke key custodians, rotate their keys, and follow their work (operator).",
        subcommands: [
            CustodyList.self, CustodyJoinToken.self, CustodyRevoke.self, CustodyRotate.self, CustodyTasks.self,
        ]
    )
}

struct CustodyList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Every custodian, its jurisdiction, when it last reported and the identity key it reported.")

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let (list, data) = try await client.client().get("/v1/custodians", as: CustodianList.self)
        try Output.print(data, format: client.output) {
            var table = Table("CUSTODIAN", "JURISDICTION", "LAST HEARTBEAT", "URL", "IDENTITY KEY")
            for custodian in list.custodians {
                table.add(
                    custodian.id, custodian.jurisdiction.rawValue,
                    custodian.lastHeartbeat.map(CanonicalJSON.format) ?? "never", custodian.url ?? "-",
                    custodian.identityKey ?? "-")
            }
            return table
        }
    }
}

struct CustodyJoinToken: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "join-token",
        abstract: "Issue a one-time token with which CUSTODIAN enrols.",
        discussion: """
            The token is printed once. Give it to the custodian:
              daulat custodian --server URL --agent-server URL --join-token TOKEN --data-dir DIR \\
                --keystore-key-file FILE
            It can be used once, before it expires, and only for this custodian.
            """
    )

    @OptionGroup var client: ClientOptions
    @Argument(help: "The custodian, as the alliance definition names it.") var custodian: String
    @Option(help: "Seconds the token stays valid (at most a week).") var ttl = 3_600

    func run() async throws {
        let body: [String: AnyEncodable] = ["custodian": AnyEncodable(custodian), "ttlSeconds": AnyEncodable(ttl)]
        let data = try await client.client().send(.POST, "/v1/join-tokens", body: body)
        let issued = try CanonicalJSON.decoder().decode(IssuedJoinToken.self, from: data)
        try Output.print(data, format: client.output) {
            var table = Table("CUSTODIAN", "EXPIRES", "JOIN TOKEN (shown once)")
            table.add(custodian, CanonicalJSON.format(issued.expiresAt), issued.token)
            return table
        }
    }
}

struct CustodyRevoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Refuse CUSTODIAN from now on: every certificate issued to it is revoked.",
        discussion: "To bring it back, issue a new join token and enrol it again."
    )

    @OptionGroup var client: ClientOptions
    @Argument(help: "The custodian to revoke.") var custodian: String

    func run() async throws {
        let data = try await client.client().send(.POST, APIClient.path("v1", "custodians", custodian, "revoke"))
        let revocation = try CanonicalJSON.decoder().decode(Revocation.self, from: data)
        try Output.print(data, format: client.output) {
            var table = Table("CUSTODIAN", "CERTIFICATES REVOKED")
            table.add(custodian, "\(revocation.revokedCertificates)")
            return table
        }
    }
}
