import ArgumentParser
import DaulatCore
import Foundation

/// `daulat agreement simulate --suspend A` and `daulat site simulate --drain S`: what-if, changing nothing.
enum SimulationOutput {
    static func show(_ path: String, query: [(String, String?)], client: ClientOptions) async throws {
        let (result, data) = try await client.client().get(
            APIClient.path(path, query: query), as: SimulationResult.self)
        try Output.print(data, format: client.output) {
            print("If you \(result.change): nothing is changed by this simulation.")
            print(
                "\(result.copiesToMove) copies (\(result.bytesToMove) bytes) to move, \(result.copiesQuarantined) to be quarantined with no allowed place left."
            )
            if let rate = result.measuredBytesPerSecond, let seconds = result.estimatedSeconds {
                print("At the rate copies were made over the last day (\(rate) bytes/s): about \(seconds) s.")
            } else {
                print("Too few copies were made over the last day to estimate how long it would take.")
            }
            var table = Table("DATASET", "HOME", "COPIES TO MOVE", "BYTES", "QUARANTINED")
            for dataset in result.datasets {
                table.add(
                    dataset.datasetID, dataset.home.rawValue, "\(dataset.copiesToMove)", "\(dataset.bytesToMove)",
                    dataset.quarantined ? "yes" : "no")
            }
            return table
        }
    }
}

struct AgreementSimulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "What suspending an agreement would do: datasets affected, bytes to move, copies quarantined.",
        discussion: """
            Computed on a copy of the rules; nothing changes. The time is estimated from the rate at which \
            copies were made over the last day.
              daulat agreement simulate --suspend id-sg-restricted
            """
    )

    @OptionGroup var client: ClientOptions
    @Option(help: "The agreement whose suspension to simulate.") var suspend: String

    func run() async throws {
        try await SimulationOutput.show(
            "/v1/simulations/suspend-agreement", query: [("agreement", suspend)], client: client)
    }
}

struct SiteSimulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "What draining a site would do: datasets affected, bytes to move, copies quarantined.",
        discussion: """
              daulat site simulate --drain sg-sin-1
            """
    )

    @OptionGroup var client: ClientOptions
    @Option(help: "The site whose drain to simulate.") var drain: String

    func run() async throws {
        try await SimulationOutput.show("/v1/simulations/drain-site", query: [("site", drain)], client: client)
    }
}
