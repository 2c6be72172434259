import ArgumentParser

/// `daulat`: the one binary for the control plane, its daemons and its clients.
public struct DaulatCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "daulat",
        abstract: "Decide, enforce and prove where every encrypted copy of a dataset lives.",
        discussion: """
            Daulat is a data-residency broker for an alliance of states. Start everything on one machine \
            with `daulat dev`, then use the client commands against it.
            """,
        version: "0.1.0",
        subcommands: [
            DevCommand.self, ServerCommand.self, MigrateCommand.self, DatasetCommand.self, AgreementCommand.self,
            SiteCommand.self, EvacuationCommand.self, HostCommand.self, TokenCommand.self, AllianceCommand.self,
            AgentCommand.self, CustodianCommand.self, CustodyCommand.self, ReportCommand.self, DashboardCommand.self,
            AuditCommand.self, ProofCommand.self, VerifyCommand.self,
            AuthorityCommand.self, MemberCommand.self, WitnessCommand.self, BenchCommand.self,
        ]
    )

    public init() {}
}
