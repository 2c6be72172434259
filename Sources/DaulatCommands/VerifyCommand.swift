import ArgumentParser
import DaulatCore
import DaulatPKI
import Foundation

/// `daulat verify FILE`: checks a signed residency report offline.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a signed residency report offline, with only the alliance's audit log public key.",
        discussion: """
            Checks that the file is byte for byte the report as signed, that the report and its tree \
            head are signed by the key, that every audit entry it cites is in the log that head signs \
            (RFC 6962 inclusion proofs), and that the key uses it counts are those entries. Exit status \
            0 when all hold; 1, with the reason, when one does not. Needs no network.
              daulat verify id-residency.json --public-key 3q2+7w…=
            """
    )

    @Argument(help: "The report (JSON, as daulat report residency --format json wrote it).") var file: String
    @Option(help: "The alliance's audit log public key (base64; `daulat audit tree-head` shows it).")
    var publicKey: String
    @Option(help: "Output format: table or json.") var output: OutputFormat = .table

    func run() async throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw ClientError(message: "cannot read \(file): \(error.localizedDescription)")
        }
        let signed: SignedResidencyReport
        do {
            signed = try ResidencyReportVerifier.verify(data, publicKey: publicKey)
        } catch {
            FileHandle.standardError.write(Data("the report does not verify: \(error)\n".utf8))
            if output == .json { print(try CanonicalJSON.encode(ProofResult(holds: false, reason: "\(error)"))) }
            throw ExitCode(1)
        }
        let report = signed.report
        switch output {
        case .json: print(try CanonicalJSON.encode(ProofResult(holds: true, reason: nil)))
        case .table:
            print(
                "the report verifies: \(report.jurisdiction.rawValue), generated \(CanonicalJSON.format(report.generatedAt)), \(report.storedHere.count) copies stored there, \(report.heldAbroad.count) held abroad, \(report.citedEntries.count) key uses proven in the log of \(report.treeHead.size) entries"
            )
        }
    }
}
