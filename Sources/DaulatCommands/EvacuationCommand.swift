import ArgumentParser
import DaulatCore
import Foundation

/// `daulat evacuation …`: copies leaving hosts where their datasets may no longer be.
struct EvacuationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evacuation",
        abstract: "Follow copies that must leave a host: deadlines, outcomes and quarantines.",
        discussion: """
            When an agreement lapses, a policy narrows or a site is drained, every copy that may no longer \
            stay is evacuated: copied to an allowed place, then deleted where it was. Each has a deadline \
            from its dataset's classification; whether it was met is recorded. A copy with no allowed place \
            to go is quarantined: kept, refused for reads, and listed here until a place can take it, or \
            until the dataset's home state decides (daulat evacuation decide) to keep it until a date or \
            to destroy it once a copy that stays exists.
            """,
        subcommands: [
            EvacuationList.self, EvacuationWait.self, EvacuationDecide.self, EvacuationReceiptCommand.self,
        ]
    )

    struct Listed: Decodable { let evacuations: [Evacuation] }

    static func table(_ evacuations: [Evacuation]) -> Table {
        var table = Table(
            "EVACUATION", "DATASET", "OBJECT", "HOST", "FROM", "STATE", "STARTED", "DEADLINE", "ENDED", "DECIDED")
        for evacuation in evacuations {
            let late = evacuation.isOpen && evacuation.deadlineMissedAt != nil ? " (late)" : ""
            let decided = evacuation.decision.map { decision in
                "\(decision.jurisdiction): \(decision.action.rawValue)"
                    + (decision.until.map { " until \(CanonicalJSON.format($0))" } ?? "")
            }
            table.add(
                evacuation.id, evacuation.datasetID, evacuation.objectID, evacuation.hostID,
                evacuation.jurisdiction.rawValue,
                evacuation.state.rawValue + late, CanonicalJSON.format(evacuation.startedAt),
                CanonicalJSON.format(evacuation.deadline), evacuation.endedAt.map(CanonicalJSON.format) ?? "-",
                decided ?? "-")
        }
        return table
    }

    static func fetch(dataset: String?, openOnly: Bool, limit: Int, api: APIClient) async throws -> (Listed, Data) {
        var datasetID: String?
        if let dataset { datasetID = try await DatasetShow.resolve(dataset, with: api) }
        return try await api.get(
            APIClient.path(
                "/v1/evacuations",
                query: [("dataset", datasetID), ("state", openOnly ? "open" : "all"), ("limit", String(limit))]),
            as: Listed.self)
    }
}

struct EvacuationList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List evacuations, newest first.")
    @OptionGroup var client: ClientOptions
    @Option(help: "Only this dataset's (id or name).") var dataset: String?
    @Flag(help: "Only those still open (moving or quarantined).") var open = false
    @Option(help: "At most this many (1-1000).") var limit = 100

    func run() async throws {
        let (listed, data) = try await EvacuationCommand.fetch(
            dataset: dataset, openOnly: open, limit: limit, api: try client.client())
        try Output.print(data, format: client.output) {
            EvacuationCommand.table(listed.evacuations)
        }
    }
}

struct EvacuationWait: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wait",
        abstract: "Wait until no copy is moving, showing progress; exits 1 if copies are quarantined.",
        discussion: """
            Polls every two seconds and prints how many copies are still moving. Ends when none is: with \
            status 0 if none is quarantined either, 1 if some are (they need an allowed place), and 2 if \
            --timeout passes first.
            """
    )
    @OptionGroup var client: ClientOptions
    @Option(help: "Only this dataset's (id or name).") var dataset: String?
    @Option(help: "Give up after this many seconds.") var timeout: Int = 3600

    func run() async throws {
        let api = try client.client()
        let deadline = Date().addingTimeInterval(TimeInterval(timeout))
        var last = ""
        while true {
            let (listed, _) = try await EvacuationCommand.fetch(
                dataset: dataset, openOnly: true, limit: 1000, api: api)
            let moving = listed.evacuations.filter { $0.state == .moving }
            let quarantined = listed.evacuations.count - moving.count
            let late = moving.filter { $0.deadlineMissedAt != nil }.count
            let line = "\(moving.count) moving (\(late) late), \(quarantined) quarantined"
            if line != last { FileHandle.standardError.write(Data((line + "\n").utf8)) }
            last = line
            if moving.isEmpty {
                guard quarantined == 0 else {
                    throw ClientError(
                        message:
                            "\(quarantined) copies are quarantined: no allowed place can take them (daulat evacuation list --open)"
                    )
                }
                return
            }
            guard Date() < deadline else { throw ExitCode(2) }
            try await Task.sleep(for: .seconds(2))
        }
    }
}
