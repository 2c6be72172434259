import ArgumentParser
import DaulatControlPlane
import DaulatCore

/// `daulat site …`: the alliance's data centres.
struct SiteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "site", abstract: "Inspect the alliance's sites, drain them and bring them back.",
        subcommands: [SiteList.self, SiteSign.self, SiteDrain.self, SiteResume.self, SiteSimulate.self]
    )
}

struct SiteList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List sites with their hosts' capacity, and whether their state signed them and their hosts in.")
    @OptionGroup var client: ClientOptions

    struct Sites: Decodable { let sites: [Site] }
    struct Hosts: Decodable { let hosts: [StorageHost] }

    func run() async throws {
        let api = try client.client()
        let (sites, data) = try await api.get("/v1/sites", as: Sites.self)
        let (hosts, _) = try await api.get("/v1/hosts", as: Hosts.self)
        var records: [JurisdictionCode: JurisdictionRecordView] = [:]
        for jurisdiction in Set(sites.sites.map(\.jurisdiction)) {
            records[jurisdiction] = try await api.get(
                APIClient.path("v1", "jurisdictions", jurisdiction.rawValue, "record"), as: JurisdictionRecordView.self
            ).0
        }
        try Output.print(data, format: client.output) {
            var table = Table(
                "SITE", "JURISDICTION", "CITY", "FAILURE DOMAIN", "EMBASSY OF", "HOSTS", "FREE", "SIGNED BY STATE")
            for site in sites.sites {
                let own = hosts.hosts.filter { $0.siteID == site.id }
                let free = own.filter { $0.status == .available }.reduce(0.0) { $0 + Double($1.freeBytes) }
                table.add(
                    site.id, site.jurisdiction.rawValue, site.city, site.failureDomain, site.embassyOf?.rawValue ?? "-",
                    "\(own.count)", String(format: "%.0f GiB", free / 1_073_741_824),
                    records[site.jurisdiction]?.signs(site: site.id) == true ? "yes" : "no (daulat site sign)"
                )
            }
            return table
        }
    }
}
