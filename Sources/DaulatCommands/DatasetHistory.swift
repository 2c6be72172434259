import ArgumentParser
import DaulatCore
import Foundation

struct DatasetHistory: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Where a dataset's copies were at a given time, from the audit log.",
        discussion: """
              daulat dataset history census-2025 --at 2026-11-01T00:00:00Z
            """
    )

    @OptionGroup var client: ClientOptions
    @Argument(help: "The dataset, by name or id.") var dataset: String
    @Option(help: "The time (ISO 8601); now when left out.") var at: String?

    func run() async throws {
        let api = try client.client()
        let id = try await DatasetShow.resolve(dataset, with: api)
        let (location, data) = try await api.get(
            APIClient.path(APIClient.path("v1", "datasets", id, "history"), query: [("at", at)]),
            as: DatasetLocation.self)
        try Output.print(data, format: client.output) {
            if !location.existed { print("\(id) did not exist at \(CanonicalJSON.format(location.at))") }
            var table = Table("OBJECT", "HOST", "SINCE")
            for copy in location.copies { table.add(copy.objectID, copy.hostID, CanonicalJSON.format(copy.since)) }
            return table
        }
    }
}
