import ArgumentParser
import DaulatCore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

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
            `daulat verify FILE --public-key KEY`. CSV has one row per copy (open data), in the order the database finds them \
            when it describes now, written as it is read however many there are; HTML is one \
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
        let path = APIClient.path(
            "/v1/reports/residency",
            query: [("jurisdiction", jurisdiction.uppercased()), ("format", format.rawValue)]
                + (at.map { [("at", $0)] } ?? []))
        let client = try client.client()
        guard let to else {
            _ = try await client.download(path, to: .standardOutput)
            return
        }
        // Written beside the destination and moved into place once whole: never a partial report under its name.
        let destination = URL(fileURLWithPath: to)
        let partial = destination.deletingLastPathComponent().appendingPathComponent(
            ".\(destination.lastPathComponent).\(UUID().uuidString).partial")
        guard FileManager.default.createFile(atPath: partial.path, contents: nil) else {
            throw ClientError(message: "cannot write in \(destination.deletingLastPathComponent().path)")
        }
        defer { try? FileManager.default.removeItem(at: partial) }
        let handle = try FileHandle(forWritingTo: partial)
        let written: Int
        do {
            written = try await client.download(path, to: handle)
            try handle.synchronize()
            try handle.close()
        } catch {
            try? handle.close()
            throw error
        }
        guard rename(partial.path, destination.path) == 0 else {
            throw ClientError(
                message: "cannot move the report into place at \(to): \(String(cString: strerror(errno)))")
        }
        FileHandle.standardError.write(Data("wrote \(to) (\(written) bytes)\n".utf8))
    }
}
