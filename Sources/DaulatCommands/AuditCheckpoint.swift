import ArgumentParser
import Foundation

/// `daulat audit checkpoint`: the log's head as a C2SP checkpoint, with the witnesses' cosignatures.
struct AuditCheckpoint: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Print the audit log's checkpoint (c2sp.org/tlog-checkpoint) with the witnesses' cosignatures.",
        discussion: """
            The note the transparency ecosystem reads: the log's name, its size, its root, signed by the \
            audit log key, and a cosignature line from each state's witness that has checked this head \
            extends every head it saw before. Save it beside a residency report of the same size and \
            give both to `daulat verify --checkpoint`.
              daulat audit checkpoint --size 1042 > checkpoint.txt
            """)

    @OptionGroup var client: ClientOptions
    @Option(help: "The size of the head (default: the latest signed).") var size: Int64?

    func run() async throws {
        let path = "/v1/audit/checkpoint" + (size.map { "?size=\($0)" } ?? "")
        FileHandle.standardOutput.write(try await client.client().send(.GET, path))
    }
}
