import ArgumentParser
import DaulatCore
import DaulatPKI
import Foundation

/// `daulat verify FILE`: checks a signed residency report or evacuation receipt offline.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract:
            "Check a signed residency report or evacuation receipt offline, with only the alliance's audit log public key.",
        discussion: """
            Checks that the file is byte for byte what was signed, that it and its tree head are signed \
            by the key, that every audit entry it cites is in the log that head signs (RFC 6962 \
            inclusion proofs), and that what it says is what those entries record: a report's key-use \
            counts, a receipt's evacuation. Exit status 0 when all hold; 1, with the reason, when one \
            does not. Needs no network.
              daulat verify id-residency.json --public-key 3q2+7w…=
              daulat verify receipt.json --public-key 3q2+7w…=
            """
    )

    @Argument(help: "The report or receipt (JSON, as daulat report residency or daulat evacuation receipt wrote it).")
    var file: String
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
        // A receipt's envelope says "receipt"; anything else is read as a report.
        let isReceipt =
            ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any])?["receipt"] != nil
        let summary: String
        do {
            if isReceipt {
                let evacuation = try EvacuationReceiptVerifier.verify(data, publicKey: publicKey).receipt.evacuation
                let copy = "\(evacuation.objectID) on \(evacuation.hostID) (\(evacuation.jurisdiction.rawValue))"
                let ended = evacuation.endedAt.map(CanonicalJSON.format) ?? "?"
                let outcome: String
                switch evacuation.state {
                case .met, .missed:
                    outcome = "left at \(ended), deadline \(evacuation.state == .met ? "met" : "missed")"
                case .withdrawn: outcome = "stayed: it became allowed again at \(ended)"
                case .lost: outcome = "was lost from its host at \(ended), not released"
                default: outcome = evacuation.state.rawValue
                }
                summary =
                    "the receipt verifies: \(copy) \(outcome) (deadline \(CanonicalJSON.format(evacuation.deadline)))"
            } else {
                let report = try ResidencyReportVerifier.verify(data, publicKey: publicKey).report
                summary =
                    "the report verifies: \(report.jurisdiction.rawValue), generated \(CanonicalJSON.format(report.generatedAt)), \(report.storedHere.count) copies stored there, \(report.heldAbroad.count) held abroad, \(report.citedEntries.count) key uses proven in the log of \(report.treeHead.size) entries"
            }
        } catch {
            FileHandle.standardError.write(
                Data("the \(isReceipt ? "receipt" : "report") does not verify: \(error)\n".utf8))
            if output == .json { print(try CanonicalJSON.encode(ProofResult(holds: false, reason: "\(error)"))) }
            throw ExitCode(1)
        }
        switch output {
        case .json: print(try CanonicalJSON.encode(ProofResult(holds: true, reason: nil)))
        case .table: print(summary)
        }
    }
}
