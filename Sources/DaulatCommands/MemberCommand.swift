import ArgumentParser
import DaulatCore
import DaulatPKI
import Foundation

/// `daulat member …`: an agency's own signing key, and the certificate its state's authority gives it.
struct MemberCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "member", abstract: "An agency's signing key and its state's certificate for it.",
        discussion: """
            A member is an agency (or a subsystem of one) named as X-Road names members, \
            INSTANCE/CLASS/MEMBER[/SUBSYSTEM], e.g. ASEAN/GOV/ID-BPS/census. It keeps its own Ed25519 key; \
            its jurisdiction's authority certifies that key (daulat authority certify), and anyone can \
            check the certificate against the authority key the alliance pins.
            """,
        subcommands: [MemberKeygen.self, MemberShow.self]
    )
}

struct MemberKeygen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen", abstract: "Make a member's key (PKCS#8 PEM, owner-only) and print its public half.",
        discussion: "Send the public key, never the file, to your jurisdiction's authority to be certified.")

    @Option(help: "The member, INSTANCE/CLASS/MEMBER[/SUBSYSTEM].") var member: String
    @Option(help: "Where to write the private key; an existing file is never overwritten.") var out: String
    @Option(help: "Output format: table (default) or json.") var output: OutputFormat = .table

    func run() throws {
        try StateKeyFiles.generate(
            for: ("member", try OptionParsing.member(member).description), to: out,
            use: "for the authority to certify", format: output)
    }
}

struct MemberShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Check a member's certificate against its authority's key, and print it.",
        discussion: """
            Fails, saying why, when the certificate was not signed by that authority, names a member of \
            another jurisdiction, or is expired.

            Example:
              daulat member show bps.member --jurisdiction ID --authority-key BASE64
            """)

    @Argument(help: "The certificate file.") var certificate: String
    @Option(help: "The jurisdiction whose member it must be.") var jurisdiction: String
    @Option(help: "That jurisdiction's authority key: base64, or a PEM file.") var authorityKey: String
    @Option(help: "Output format: table (default) or json.") var output: OutputFormat = .table

    func run() throws {
        let text: String
        do {
            text = try String(contentsOf: URL(fileURLWithPath: certificate), encoding: .utf8)
        } catch {
            throw ValidationError("cannot read \(certificate): \(error.localizedDescription)")
        }
        let verified: MemberCertificate
        do {
            verified = try MemberCertificate.verify(
                text, authority: try StateKeyFiles.publicKey(authorityKey),
                jurisdiction: try OptionParsing.jurisdiction(jurisdiction), at: Date())
        } catch let error as StateSignatureError {
            throw ValidationError("\(certificate) does not hold: \(error) [\(error.code)]")
        }
        try Self.print(verified, format: output)
    }

    static func print(_ certificate: MemberCertificate, format: OutputFormat) throws {
        try Output.print(try CanonicalJSON.encoder().encode(certificate), format: format) {
            var table = Table("MEMBER", "JURISDICTION", "AGENCY", "KEY", "VALID FROM", "UNTIL")
            table.add(
                certificate.member.description, certificate.jurisdiction.rawValue, certificate.agency,
                certificate.publicKey, CanonicalJSON.format(certificate.issuedAt),
                CanonicalJSON.format(certificate.notAfter))
            return table
        }
    }
}
