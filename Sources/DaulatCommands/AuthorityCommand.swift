import ArgumentParser
import DaulatCore
import DaulatPKI
import Foundation

/// `daulat authority …`: what a jurisdiction's regulator does with its authority key, which never
/// leaves its hands and which the control plane never holds.
struct AuthorityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "authority", abstract: "A jurisdiction's authority key: make one, and vouch for members with it.",
        discussion: """
            Each jurisdiction of the alliance has an authority key (Ed25519), held by its regulator and \
            never by the operator. The alliance pins its public half; with it the authority vouches for the \
            jurisdiction's members (its agencies), so that what a member signs — consent to read its data — \
            is checked against the state, not against the operator.

            Example:
              daulat authority keygen --jurisdiction ID --out id-authority.pem
              daulat authority sign-charter charter.json --jurisdiction ID --key id-authority.pem
              daulat member keygen --member ASEAN/GOV/ID-BPS --out bps.pem      # at the agency
              daulat authority certify --key id-authority.pem --jurisdiction ID \\
                --member ASEAN/GOV/ID-BPS --agency bps --public-key BASE64 --out bps.member
            """,
        subcommands: [AuthorityKeygen.self, AuthorityCertify.self, AuthoritySignCharter.self]
    )
}

struct AuthorityKeygen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Make a jurisdiction's authority key (PKCS#8 PEM, owner-only) and print its public half.")

    @Option(help: "The jurisdiction it is the authority of.") var jurisdiction: String
    @Option(help: "Where to write the private key; an existing file is never overwritten.") var out: String
    @Option(help: "Output format: table (default) or json.") var output: OutputFormat = .table

    func run() throws {
        try StateKeyFiles.generate(
            for: ("jurisdiction", try OptionParsing.jurisdiction(jurisdiction).rawValue), to: out,
            use: "pin it in the alliance definition", format: output)
    }
}

struct AuthorityCertify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certify",
        abstract: "Vouch for a member of the jurisdiction: sign its name, agency and key.",
        discussion: "Writes the member's certificate (public, not secret) to --out and prints what it says.")

    @Option(help: "The authority's private key file.") var key: String
    @Option(help: "The authority's jurisdiction.") var jurisdiction: String
    @Option(help: "The member, INSTANCE/CLASS/MEMBER[/SUBSYSTEM].") var member: String
    @Option(help: "The agency the member acts for, as datasets name it.") var agency: String
    @Option(help: "The member's public key: base64, or a PEM file.") var publicKey: String
    @Option(help: "Days the certificate holds.") var days = 365
    @Option(help: "Where to write the certificate.") var out: String
    @Option(help: "Output format: table (default) or json.") var output: OutputFormat = .table

    func run() throws {
        guard (1...3_650).contains(days) else { throw ValidationError("--days must be from 1 to 3650") }
        let authority = try StateKeyFiles.read(key)
        let now = CanonicalJSON.rounded(Date())
        let certificate = MemberCertificate(
            member: try OptionParsing.member(member), jurisdiction: try OptionParsing.jurisdiction(jurisdiction),
            agency: agency, publicKey: try StateKeyFiles.publicKey(publicKey), issuedAt: now,
            notAfter: now.addingTimeInterval(TimeInterval(days) * 86_400))
        try Data((try certificate.signed(with: authority) + "\n").utf8).write(to: URL(fileURLWithPath: out))
        try MemberShow.print(certificate, format: output)
    }
}

struct AuthoritySignCharter: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign-charter",
        abstract: "Add this jurisdiction's signature to an alliance charter file, in place.",
        discussion: """
            Read the charter first (daulat alliance charter verify FILE shows it): by signing, the \
            authority accepts every other state's key in it. Refused when the charter lists another key \
            for this jurisdiction.
            """)

    @Argument(help: "The charter file.") var file: String
    @Option(help: "The jurisdiction signing.") var jurisdiction: String
    @Option(help: "Its authority key (PEM).") var key: String
    @Option(help: "Output format: table (default) or json.") var output: OutputFormat = .table

    func run() throws {
        var signed = try CharterFile.readSigned(file)
        do {
            try signed.sign(as: try OptionParsing.jurisdiction(jurisdiction), with: try StateKeyFiles.read(key))
        } catch let error as CharterError {
            throw ValidationError("\(file): \(error) [\(error.code)]")
        }
        try CharterFile.write(signed, to: file)
        try CharterCommand.print(signed, format: output)
    }
}
