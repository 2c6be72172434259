import ArgumentParser
import DaulatCore
import Foundation

/// `daulat report …`: reports for regulators.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Residency reports for regulators.",
        subcommands: [ReportResidency.self]
    )
}

struct ReportResidency: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "residency",
        abstract: "What is stored in a jurisdiction and whose, its datasets abroad, evacuations and key uses.",
        discussion: """
            JSON is canonical and signed with the alliance's audit log key, and carries a signed tree head \
            and the audit entries it counts with their inclusion proofs: check it offline with \
            `daulat verify FILE --public-key KEY`. CSV has one row per copy (open data); HTML is one \
            self-contained printable page. A regulator's token gets its own jurisdiction's report only.
            With --at, the report describes a past instant, replayed from the audit log: the copies \
            recorded and not yet released then, judged by the agreements as they then stood, each \
            placement's violations as last planned, evacuations as they stood and key uses up to then.
              daulat report residency --jurisdiction ID --format json --to id-residency.json
              daulat report residency --jurisdiction ID --at 2026-11-01T00:00:00Z --format csv
              daulat verify id-residency.json --public-key "$(daulat audit tree-head --output json | …)"
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case json, csv, html }

    @OptionGroup var client: ClientOptions
    @Option(help: "The jurisdiction (ISO 3166-1 alpha-2), e.g. ID.") var jurisdiction: String
    @Option(help: "json (signed), csv or html.") var format: Format = .json
    @Option(help: "A past instant to report as at (ISO 8601, e.g. 2026-11-01T00:00:00Z); now when omitted.")
    var at: String?
    @Option(help: "Write it to this file rather than standard output.") var to: String?

    func run() async throws {
        let data = try await client.client().send(
            .GET,
            APIClient.path(
                "/v1/reports/residency",
                query: [("jurisdiction", jurisdiction.uppercased()), ("format", format.rawValue)]
                    + (at.map { [("at", $0)] } ?? [])))
        if let to {
            try data.write(to: URL(fileURLWithPath: to), options: .atomic)
            FileHandle.standardError.write(Data("wrote \(to) (\(data.count) bytes)\n".utf8))
        } else {
            FileHandle.standardOutput.write(data)
        }
    }
}
