import ArgumentParser

/// `daulat bench …`: measurements against the physical limit on the same machine, in the same run.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Daulat against the machine's own limits and print the ratio.",
        discussion: "scripts/bench runs both with the PostgreSQL and tools they need.",
        subcommands: [
            RegistrationBenchmark.self, AuditAppendBenchmark.self, ReportBenchmark.self, PlannerBenchmark.self,
            ReplicationBenchmark.self,
            ConvergenceBenchmark.self,
            SealBenchmark.self, UnwrapBenchmark.self,
        ]
    )
}
