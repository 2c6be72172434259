import ArgumentParser
import DaulatCore
import Foundation

struct EvacuationReceiptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receipt",
        abstract: "The signed receipt of an ended evacuation: which copy left which host when, against which deadline.",
        discussion: """
            The audit entries that recorded it are cited with their proofs against a signed tree head; \
            check it offline with `daulat verify FILE --public-key KEY`.
              daulat evacuation receipt evac-… --to receipt.json
            """
    )

    @OptionGroup var client: ClientOptions
    @Argument(help: "The evacuation id (evac-…), as daulat evacuation list shows it.") var evacuation: String
    @Option(help: "Write it to this file rather than standard output.") var to: String?

    func run() async throws {
        let data = try await client.client().send(.GET, APIClient.path("v1", "evacuations", evacuation, "receipt"))
        if let to {
            try data.write(to: URL(fileURLWithPath: to), options: .atomic)
            FileHandle.standardError.write(Data("wrote \(to) (\(data.count) bytes)\n".utf8))
        } else {
            FileHandle.standardOutput.write(data)
        }
    }
}
