import ArgumentParser
import DaulatCore
import Foundation

/// `daulat agreement …`: what alliance operators do with treaties.
struct AgreementCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agreement",
        abstract: "Draft agreements between jurisdictions and bring them into force, suspend or terminate them.",
        discussion: "Placements follow at once: suspending an agreement re-plans every dataset that relied on it.",
        subcommands: [
            AgreementCreate.self, AgreementList.self, AgreementShow.self,
            AgreementTransition<Activate>.self, AgreementTransition<Suspend>.self, AgreementTransition<Terminate>.self,
            AgreementSimulate.self,
        ]
    )

    static func table(_ agreements: [Agreement]) -> Table {
        var table = Table("ID", "STATUS", "PARTIES", "CLASSIFICATIONS", "PURPOSES", "FROM", "UNTIL")
        for agreement in agreements {
            table.add(
                agreement.id, agreement.status.rawValue, agreement.parties.map(\.rawValue).joined(separator: ","),
                agreement.classifications.joined(separator: ","), agreement.purposes.map(\.rawValue).joined(separator: ","),
                CanonicalJSON.format(agreement.from), agreement.until.map(CanonicalJSON.format) ?? "-"
            )
        }
        return table
    }
}

struct AgreementCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Draft an agreement (it takes effect only once activated).",
        discussion: "Example: daulat agreement create --id my-sg --name 'MY-SG sharing' --parties MY,SG --classifications restricted --purposes storage --from 2026-01-01"
    )

    @OptionGroup var client: ClientOptions
    @Option(help: "Identifier: a-z, 0-9 and '-'.") var id: String
    @Option(help: "Human name.") var name: String
    @Option(help: "Comma-separated parties, e.g. ID,SG.") var parties: String
    @Option(help: "Comma-separated classifications covered.") var classifications: String
    @Option(help: "Comma-separated purposes: storage, processing, key-custody, data-embassy.") var purposes: String
    @Option(help: "Start (ISO 8601 date or date-time).") var from: String
    @Option(help: "Exclusive end (ISO 8601), optional.") var until: String?

    func run() async throws {
        var body: [String: AnyEncodable] = [
            "id": AnyEncodable(id), "name": AnyEncodable(name),
            "parties": AnyEncodable(DatasetRegister.codes(parties)),
            "classifications": AnyEncodable(classifications.split(separator: ",").map(String.init)),
            "purposes": AnyEncodable(purposes.split(separator: ",").map(String.init)),
            "from": AnyEncodable(try Self.date(from)),
        ]
        if let until { body["until"] = AnyEncodable(try Self.date(until)) }
        let data = try await client.client().send(.POST, "/v1/agreements", body: body)
        let agreement = try CanonicalJSON.decoder().decode(Agreement.self, from: data)
        try Output.print(data, format: client.output) { AgreementCommand.table([agreement]) }
    }

    static func date(_ text: String) throws -> Date {
        guard let date = CanonicalJSON.parseDate(text) else {
            throw ValidationError("'\(text)' is not an ISO 8601 date such as 2026-01-31 or 2026-01-31T00:00:00Z")
        }
        return date
    }
}

struct AgreementList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List agreements.")
    @OptionGroup var client: ClientOptions

    struct Response: Decodable { let agreements: [Agreement] }

    func run() async throws {
        let (response, data) = try await client.client().get("/v1/agreements", as: Response.self)
        try Output.print(data, format: client.output) { AgreementCommand.table(response.agreements) }
    }
}

struct AgreementShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one agreement.")
    @OptionGroup var client: ClientOptions
    @Argument(help: "Agreement id.") var id: String

    func run() async throws {
        let (agreement, data) = try await client.client().get(APIClient.path("v1", "agreements", id), as: Agreement.self)
        try Output.print(data, format: client.output) { AgreementCommand.table([agreement]) }
    }
}

/// The verbs that move an agreement, one subcommand each.
protocol AgreementVerb {
    static var action: AgreementAction { get }
    static var abstract: String { get }
}

enum Activate: AgreementVerb {
    static let action = AgreementAction.activate
    static let abstract = "Bring a draft or suspended agreement into force."
}

enum Suspend: AgreementVerb {
    static let action = AgreementAction.suspend
    static let abstract = "Suspend an agreement in force; copies that relied on it must leave."
}

enum Terminate: AgreementVerb {
    static let action = AgreementAction.terminate
    static let abstract = "End an agreement for good."
}

struct AgreementTransition<Verb: AgreementVerb>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: Verb.action.rawValue, abstract: Verb.abstract)
    }

    @OptionGroup var client: ClientOptions
    @Argument(help: "Agreement id.") var id: String

    func run() async throws {
        let data = try await client.client().send(.POST, APIClient.path("v1", "agreements", id, Verb.action.rawValue))
        let agreement = try CanonicalJSON.decoder().decode(Agreement.self, from: data)
        try Output.print(data, format: client.output) { AgreementCommand.table([agreement]) }
    }
}
