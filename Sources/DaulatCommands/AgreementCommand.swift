import ArgumentParser
import DaulatCore
import DaulatPKI
import Foundation

/// `daulat agreement …`: what alliance operators do with treaties.
struct AgreementCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agreement",
        abstract: "Draft agreements between jurisdictions; their parties sign, suspend, resume or terminate them.",
        discussion: """
            An operator drafts; an agreement enters into force only once every party's authority signed \
            its terms, and any one party may suspend or terminate it alone, with its authority key. \
            Amendments are new versions, drafted the same way and binding only once every party signed \
            them. Placements follow at once: suspending an agreement re-plans every dataset that relied \
            on it.
            """,
        subcommands: [
            AgreementCreate.self, AgreementList.self, AgreementShow.self, AgreementAmend.self,
            AgreementSign.self, AgreementActCommand<Suspend>.self, AgreementActCommand<Resume>.self,
            AgreementActCommand<Terminate>.self,
            AgreementSimulate.self,
        ]
    )

    /// The agreement `id` and the authority key signing for one of its parties, with that party.
    static func party(to id: String, authority: AuthorityKeyOption, api: APIClient) async throws -> (
        agreement: Agreement, key: StateSigningKey, jurisdiction: JurisdictionCode
    ) {
        let (agreement, _) = try await api.get(APIClient.path("v1", "agreements", id), as: Agreement.self)
        let (key, jurisdiction) = try await authority.resolve(with: api)
        guard agreement.parties.contains(jurisdiction) else {
            throw ValidationError("\(jurisdiction) is not a party to agreement '\(id)'")
        }
        return (agreement, key, jurisdiction)
    }

    /// `jurisdiction`'s authority signs `action` on `agreement`'s current version, dated now, and hands
    /// it in; the agreement as it stands after.
    static func act(
        _ action: AgreementAction, on agreement: Agreement, as jurisdiction: JurisdictionCode,
        signedWith key: StateSigningKey, api: APIClient
    ) async throws -> Data {
        let act = DaulatCore.AgreementAct(
            agreement: agreement.id, version: agreement.version, action: action, party: jurisdiction,
            at: CanonicalJSON.rounded(Date()))
        let body = ["act": AnyEncodable(try AgreementSignatures.sign(act, with: key))]
        return try await api.send(.POST, APIClient.path("v1", "agreements", agreement.id, "acts"), body: body)
    }

    static func table(_ agreements: [Agreement]) -> Table {
        var table = Table(
            "ID", "VERSION", "STATUS", "PARTIES", "UNSIGNED", "CLASSIFICATIONS", "PURPOSES", "FROM", "UNTIL")
        func add(_ id: String, _ status: String, _ terms: AgreementTerms, unsigned: [JurisdictionCode]) {
            let missing = unsigned.map(\.rawValue).joined(separator: ",")
            table.add(
                id, "\(terms.version)", status, terms.parties.map(\.rawValue).joined(separator: ","),
                missing.isEmpty ? "-" : missing, terms.classifications.joined(separator: ","),
                terms.purposes.map(\.rawValue).joined(separator: ","), CanonicalJSON.format(terms.from),
                terms.until.map(CanonicalJSON.format) ?? "-")
        }
        for agreement in agreements {
            add(agreement.id, agreement.status.rawValue, agreement.terms, unsigned: agreement.unsignedParties)
            // The amendment on a line of its own, under the version it would replace.
            if let amendment = agreement.amendment {
                add("  amendment", "proposed", amendment.terms, unsigned: amendment.unsignedParties)
            }
        }
        return table
    }
}

struct AgreementCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Draft an agreement (in force only once every party signed it).",
        discussion:
            "Example: daulat agreement create --id my-sg --name 'MY-SG sharing' --parties MY,SG --classifications restricted --purposes storage --from 2026-01-01"
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
            "classifications": AnyEncodable(AgreementAmend.list(classifications)),
            "purposes": AnyEncodable(AgreementAmend.list(purposes)),
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

struct AgreementAmend: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "amend",
        abstract: "Draft the next version of an agreement's terms (binding once every party signed it).",
        discussion: """
            The version in force stays in force, unchanged, until every party's authority has signed the \
            amendment (daulat agreement sign ID --authority-key …); then the new terms replace it whole, \
            and acts made on the old version (a suspension) lapse with it, since every party signed the \
            new one. Options left out keep the current terms; the parties cannot change. A new draft \
            replaces one not yet signed by all; a terminated agreement cannot be amended.

            Example: daulat agreement amend id-sg-restricted --purposes storage --until 2030-01-01
            """
    )

    @OptionGroup var client: ClientOptions
    @Argument(help: "Agreement id.") var id: String
    @Option(help: "Human name.") var name: String?
    @Option(help: "Comma-separated classifications covered.") var classifications: String?
    @Option(help: "Comma-separated purposes: storage, processing, key-custody, data-embassy.") var purposes: String?
    @Option(help: "Start (ISO 8601 date or date-time).") var from: String?
    @Option(help: "Exclusive end (ISO 8601).") var until: String?

    func validate() throws {
        guard [name, classifications, purposes, from, until].contains(where: { $0 != nil }) else {
            throw ValidationError(
                "name at least one term to change: --name, --classifications, --purposes, --from or --until")
        }
    }

    func run() async throws {
        var body: [String: AnyEncodable] = [:]
        if let name { body["name"] = AnyEncodable(name) }
        if let classifications { body["classifications"] = AnyEncodable(Self.list(classifications)) }
        if let purposes { body["purposes"] = AnyEncodable(Self.list(purposes)) }
        if let from { body["from"] = AnyEncodable(try AgreementCreate.date(from)) }
        if let until { body["until"] = AnyEncodable(try AgreementCreate.date(until)) }
        let data = try await client.client().send(
            .POST, APIClient.path("v1", "agreements", id, "amendments"), body: body)
        let agreement = try CanonicalJSON.decoder().decode(Agreement.self, from: data)
        try Output.print(data, format: client.output) { AgreementCommand.table([agreement]) }
    }

    static func list(_ text: String) -> [String] { text.split(separator: ",").map(String.init) }
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
        let (agreement, data) = try await client.client().get(
            APIClient.path("v1", "agreements", id), as: Agreement.self)
        try Output.print(data, format: client.output) { AgreementCommand.table([agreement]) }
    }
}

/// The acts a party's authority signs alone, one subcommand each.
protocol AgreementVerb {
    static var action: AgreementAction { get }
    static var abstract: String { get }
}

enum Suspend: AgreementVerb {
    static let action = AgreementAction.suspend
    static let abstract = "Suspend an agreement as one of its parties; copies that relied on it must leave."
}

enum Resume: AgreementVerb {
    static let action = AgreementAction.resume
    static let abstract = "Lift this party's own suspension of an agreement."
}

enum Terminate: AgreementVerb {
    static let action = AgreementAction.terminate
    static let abstract = "End an agreement for good, as one of its parties."
}

struct AgreementSign: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign an agreement's terms as one of its parties' authority.",
        discussion: """
            Shows the terms and adds this state's signature; the agreement enters into force once every \
            party signed this version. While an amendment is proposed, signs the amendment's terms \
            instead: they replace the version in force once every party signed them. The jurisdiction is \
            the one the alliance charter pins the key for.

            Example: daulat agreement sign my-sg --authority-key my-authority.pem
            """
    )

    @OptionGroup var client: ClientOptions
    @OptionGroup var authority: AuthorityKeyOption
    @Argument(help: "Agreement id.") var id: String

    func run() async throws {
        let api = try client.client()
        let (agreement, key, jurisdiction) = try await AgreementCommand.party(to: id, authority: authority, api: api)
        let body: [String: AnyEncodable] = [
            "jurisdiction": AnyEncodable(jurisdiction),
            "signature": AnyEncodable(
                try AgreementSignatures.sign(agreement.amendment?.terms ?? agreement.terms, with: key)),
        ]
        let data = try await api.send(.POST, APIClient.path("v1", "agreements", id, "signatures"), body: body)
        let signed = try CanonicalJSON.decoder().decode(Agreement.self, from: data)
        try Output.print(data, format: client.output) { AgreementCommand.table([signed]) }
    }
}

struct AgreementActCommand<Verb: AgreementVerb>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: Verb.action.rawValue, abstract: Verb.abstract,
            discussion: "Signed with the party's authority key; takes effect at once.")
    }

    @OptionGroup var client: ClientOptions
    @OptionGroup var authority: AuthorityKeyOption
    @Argument(help: "Agreement id.") var id: String

    func run() async throws {
        let api = try client.client()
        let (agreement, key, jurisdiction) = try await AgreementCommand.party(to: id, authority: authority, api: api)
        let data = try await AgreementCommand.act(
            Verb.action, on: agreement, as: jurisdiction, signedWith: key, api: api)
        let changed = try CanonicalJSON.decoder().decode(Agreement.self, from: data)
        try Output.print(data, format: client.output) { AgreementCommand.table([changed]) }
    }
}
