import ArgumentParser
import DaulatControlPlane
import DaulatCore
import DaulatPKI
import Foundation

/// `daulat alliance rules …`: the classifications and groups every state signs.
struct AllianceRulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "The alliance's classifications and groups, as every state signed them.",
        discussion: """
            The operator keeps the rule base (daulat alliance apply, POST /v1/classifications, \
            /v1/groups), but a version binds agents and custodians only once every state of the charter \
            has signed it: an operator that widens a classification in its database widens nothing where \
            data and keys are kept. Each state's authority signs the draft; the last signature brings it \
            into force.

              daulat alliance rules show                                   # in force, the draft, who has not signed
              daulat alliance rules sign --authority-key id-authority.pem  # Indonesia signs the draft
            """,
        subcommands: [AllianceRulesShow.self, AllianceRulesSign.self]
    )

    /// The draft's classifications, each marked as new, changed or as in force.
    static func table(_ view: AllianceRulesView) -> Table {
        var table = Table("CLASSIFICATION", "RANK", "STORAGE", "KEYS", "PROCESSING", "EMBASSY", "IN FORCE", "DRAFT")
        let inForce = view.inForce?.rules.classifications ?? []
        let version = view.inForce.map { "v\($0.rules.version)" } ?? "-"
        let unsigned = view.unsigned.map(\.rawValue).joined(separator: ",")
        let draftState =
            view.current
            ? "same as in force" : "v\(view.draft.version), unsigned: \(unsigned.isEmpty ? "none" : unsigned)"
        for level in view.draft.classifications.sorted(by: { $0.rank < $1.rank }) {
            let signed = inForce.first { $0.name == level.name }
            table.add(
                level.name, "\(level.rank)", level.storage.rawValue, level.keys.rawValue, level.processing.rawValue,
                level.dataEmbassyPermitted ? "yes" : "no",
                signed == nil ? "no" : signed == level ? version : "\(version), differs",
                draftState)
        }
        for level in inForce where !view.draft.classifications.contains(where: { $0.name == level.name }) {
            table.add(
                level.name, "\(level.rank)", level.storage.rawValue, level.keys.rawValue, level.processing.rawValue,
                level.dataEmbassyPermitted ? "yes" : "no", version, "removed")
        }
        return table
    }
}

struct AllianceRulesShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "The rules in force, the draft, and the states yet to sign it.")
    @OptionGroup var client: ClientOptions

    func run() async throws {
        let (view, data) = try await client.client().get("/v1/alliance/rules", as: AllianceRulesView.self)
        try Output.print(data, format: client.output) { AllianceRulesCommand.table(view) }
    }
}

struct AllianceRulesSign: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign the draft of the alliance's rules as your state's authority.",
        discussion: """
            Shows what you signed. The draft binds once every state of the charter has signed it; the \
            state is the one the charter pins the key for.

            Example: daulat alliance rules sign --authority-key id-authority.pem
            """)
    @OptionGroup var client: ClientOptions
    @OptionGroup var authority: AuthorityKeyOption

    func run() async throws {
        let api = try client.client()
        let (key, jurisdiction) = try await authority.resolve(with: api)
        let (view, _) = try await api.get("/v1/alliance/rules", as: AllianceRulesView.self)
        let body: [String: AnyEncodable] = [
            "jurisdiction": AnyEncodable(jurisdiction), "version": AnyEncodable(view.draft.version),
            "signature": AnyEncodable(try AllianceRulesSignatures.sign(view.draft, with: key)),
        ]
        let data = try await api.send(.POST, "/v1/alliance/rules/signatures", body: body)
        let signed = try CanonicalJSON.decoder().decode(AllianceRulesView.self, from: data)
        try Output.print(data, format: client.output) { AllianceRulesCommand.table(signed) }
    }
}
