import ArgumentParser
import DaulatCore

/// `daulat site drain SITE` and `daulat site resume SITE`: an operator takes a data centre out of
/// placement (maintenance, decommissioning) and brings it back.
enum SiteHostStatus {
    /// Sets every host of `site` that is in one of `from` to `status`; returns the hosts changed.
    static func set(_ status: HostStatus, from: Set<HostStatus>, site: String, client: ClientOptions) async throws
        -> [String]
    {
        let api = try client.client()
        let (listed, _) = try await api.get("/v1/hosts", as: SiteList.Hosts.self)
        let hosts = listed.hosts.filter { $0.siteID == site }
        guard !hosts.isEmpty else { throw ClientError(message: "site '\(site)' has no hosts (see daulat site list)") }
        var changed: [String] = []
        for var host in hosts where host.status != status && from.contains(host.status) {
            host.status = status
            _ = try await api.send(.PUT, APIClient.path("v1", "hosts", host.id), body: host)
            changed.append(host.id)
        }
        return changed
    }

    static func print(_ changed: [String], status: HostStatus, format: OutputFormat) throws {
        try Output.print(
            try CanonicalJSON.encoder().encode(["hosts": changed, "status": [status.rawValue]]), format: format
        ) {
            var table = Table("HOST", "STATUS")
            for host in changed { table.add(host, status.rawValue) }
            return table
        }
    }
}

struct SiteDrain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drain",
        abstract: "Empty a site: its hosts take no new copies and theirs are made elsewhere, then released.",
        discussion: """
            Every host of SITE is marked draining. Placements are re-planned without them; agents in \
            allowed places copy what the site held, and each copy on the site is deleted only once every \
            newly placed host holds a verified one. Follow it with `daulat evacuation wait` (progress until \
            nothing is moving) or `daulat evacuation list --open`.
            """
    )

    @OptionGroup var client: ClientOptions
    @Argument(help: "The site to drain.") var site: String

    func run() async throws {
        try SiteHostStatus.print(
            try await SiteHostStatus.set(
                .draining, from: [.available, .unavailable, .silent], site: site, client: client),
            status: .draining,
            format: client.output)
    }
}

struct SiteResume: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume", abstract: "Bring a drained site's hosts back into placement."
    )

    @OptionGroup var client: ClientOptions
    @Argument(help: "The site to bring back.") var site: String

    func run() async throws {
        try SiteHostStatus.print(
            // Only what a drain took out: hosts an operator marked unavailable stay so, and silent ones
            // come back by themselves when their agents report.
            try await SiteHostStatus.set(.available, from: [.draining], site: site, client: client),
            status: .available,
            format: client.output)
    }
}
