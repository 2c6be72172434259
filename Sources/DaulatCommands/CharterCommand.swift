import ArgumentParser
import DaulatCore
import DaulatPKI
import Foundation

/// `daulat alliance charter …`: the founding document every state signs, which pins the states' keys.
struct CharterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "charter",
        abstract: "The alliance charter: each state's authority key, signed by every founding state.",
        discussion: """
            The charter pins each jurisdiction's authority key. Every consent to read data, every member \
            certificate and every order is checked against it — by the control plane, and again by each \
            custodian, which pins its own copy (daulat custodian --charter). It holds only once every \
            authority it lists has signed it, so no one, the operator included, can add or swap a key.

            The ceremony:
              daulat alliance charter draft --instance ASEAN --authority ID=id.pub --authority SG=sg.pub \
                --witness ID=id-witness.pub --witness SG=sg-witness.pub --out charter.json
              daulat authority sign-charter charter.json --jurisdiction ID --key id-authority.pem   # in Jakarta
              daulat authority sign-charter charter.json --jurisdiction SG --key sg-authority.pem   # in Singapore
              daulat alliance charter verify charter.json
              daulat alliance charter establish charter.json      # operator: the control plane keeps it
            """,
        subcommands: [CharterDraft.self, CharterVerify.self, CharterEstablish.self, CharterShow.self]
    )

    static func print(_ signed: SignedCharter, format: OutputFormat) throws {
        let charter = try signed.content()
        try Output.print(Data(try signed.text.utf8), format: format) {
            var table = Table("JURISDICTION", "AUTHORITY KEY", "WITNESS KEY", "SIGNED")
            for authority in charter.authorities {
                table.add(
                    authority.jurisdiction.rawValue, authority.publicKey, authority.witnessKey ?? "-",
                    signed.signatures[authority.jurisdiction.rawValue] == nil ? "not yet" : "yes")
            }
            return table
        }
    }
}

struct CharterDraft: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "draft", abstract: "Write a charter no one has signed yet, to pass to each authority.")

    @Option(help: "The X-Road instance every member's name starts with, e.g. ASEAN.") var instance: String
    @Option(help: "A founding state's authority key, CODE=KEY (base64, or a .pub file); once per state.")
    var authority: [String]
    @Option(help: "A state's witness key, CODE=KEY (base64, or a .pub file), for the states that run one.")
    var witness: [String] = []
    @Option(help: "Where to write it; an existing file is never overwritten.") var out: String
    @Option(help: "Output format: table (default) or json.") var output: OutputFormat = .table

    func run() throws {
        guard !FileManager.default.fileExists(atPath: out) else { throw ValidationError("\(out) exists already") }
        _ = try OptionParsing.member("\(instance)/GOV/X", option: "--instance")
        func keys(_ entries: [String], option: String) throws -> [JurisdictionCode: String] {
            var keys: [JurisdictionCode: String] = [:]
            for entry in entries {
                let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { throw ValidationError("\(option) takes CODE=KEY, not '\(entry)'") }
                keys[try OptionParsing.jurisdiction(parts[0], option: option)] =
                    try StateKeyFiles.publicKey(parts[1]).description
            }
            return keys
        }
        let witnesses = try keys(witness, option: "--witness")
        let authorityKeys = try keys(authority, option: "--authority")
        if let stray = witnesses.keys.first(where: { authorityKeys[$0] == nil }) {
            throw ValidationError("--witness \(stray.rawValue) names a jurisdiction with no --authority")
        }
        let authorities = authorityKeys.map {
            AllianceCharter.Authority(jurisdiction: $0.key, publicKey: $0.value, witnessKey: witnesses[$0.key])
        }
        let signed = try SignedCharter(
            draft: AllianceCharter(
                instance: instance, authorities: authorities, issuedAt: CanonicalJSON.rounded(Date())))
        do {
            _ = try signed.content()
        } catch {
            throw ValidationError("\(error)")
        }
        try CharterFile.write(signed, to: out)
        try CharterCommand.print(signed, format: output)
    }
}

struct CharterVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that every authority a charter lists has signed it; exit 1 if not.")

    @Argument(help: "The charter file.") var file: String
    @Option(help: "Output format: table (default) or json.") var output: OutputFormat = .table

    func run() throws {
        let signed = try CharterFile.readSigned(file)
        try CharterCommand.print(signed, format: output)
        _ = try CharterFile.read(file)
    }
}

struct CharterEstablish: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "establish",
        abstract: "Give the control plane the signed charter, once (operator).",
        discussion: """
            Accepted only when every authority it lists has signed it and each is a jurisdiction of the \
            alliance. Establishing the same charter again changes nothing; a different one is refused.
            """)

    @OptionGroup var client: ClientOptions
    @Argument(help: "The signed charter file.") var file: String

    func run() async throws {
        let signed = try CharterFile.readSigned(file)
        _ = try CharterFile.read(file)
        let data = try await client.client().send(.PUT, "/v1/alliance/charter", body: signed)
        try CharterCommand.print(try JSONDecoder().decode(SignedCharter.self, from: data), format: client.output)
    }
}

struct CharterShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "The charter the control plane keeps, checked here.",
        discussion: "Compare it with the copy your own authority gave you: it is the one that counts.")

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let (signed, _) = try await client.client().get("/v1/alliance/charter", as: SignedCharter.self)
        do {
            _ = try signed.verified()
        } catch {
            throw ClientError(message: "the control plane's charter does not hold: \(error) [\(error.code)]")
        }
        try CharterCommand.print(signed, format: client.output)
    }
}
