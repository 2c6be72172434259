import ArgumentParser
import DaulatCore
import Foundation

/// Placement decisions per second for many datasets on a large topology, against `crushtool --test`
/// computing 3-replica mappings over distinct sites on a CRUSH map of the same shape, in the same run.
struct PlannerBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "planner",
        abstract: "Placement decisions per second, against crushtool on a map of the same size.",
        discussion: """
            The topology has --jurisdictions jurisdictions, each with sites of hosts of equal capacity; \
            datasets are public (any site in the alliance), 3 replicas on 3 distinct sites — what the \
            CRUSH rule `chooseleaf firstn 0 type site` computes. Both sides run on one core.
            """
    )

    @Option(help: "Datasets to place.") var datasets = 1_000_000
    @Option(help: "Jurisdictions.") var jurisdictions = 10
    @Option(help: "Sites per jurisdiction.") var sitesPerJurisdiction = 10
    @Option(help: "Hosts per site.") var hostsPerSite = 10
    @Option(help: "Output format: table or json.") var output: OutputFormat = .table

    func run() async throws {
        let daulat = try measureDaulat()
        let crush = try measureCrush()
        let hosts = jurisdictions * sitesPerJurisdiction * hostsPerSite
        let sites = jurisdictions * sitesPerJurisdiction
        try BenchmarkReport(
            benchmark: "planner",
            parameters: ["datasets": datasets, "hosts": hosts, "sites": sites, "jurisdictions": jurisdictions],
            daulatLabel: "daulat planner decisions (\(datasets) datasets, \(hosts) hosts, \(sites) sites, \(jurisdictions) jurisdictions)",
            daulatPerSecond: daulat,
            limitLabel: "crushtool --test mappings, 3 replicas on distinct sites, same map size",
            limitPerSecond: crush,
            target: 1.0
        ).print(output)
    }

    private func measureDaulat() throws -> Double {
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        let codes = try (0..<jurisdictions).map { (index: Int) -> JurisdictionCode in
            let name = String([letters[index / 26 % 26], letters[index % 26]])
            return try JurisdictionCode(name)
        }
        var sites: [Site] = []
        var hosts: [StorageHost] = []
        for code in codes {
            for siteIndex in 0..<sitesPerJurisdiction {
                let siteID = "\(code.rawValue.lowercased())-site-\(siteIndex)"
                sites.append(Site(id: siteID, jurisdiction: code, city: siteID, operatorName: "bench", failureDomain: siteID))
                for hostIndex in 0..<hostsPerSite {
                    hosts.append(StorageHost(id: "\(siteID)-host-\(hostIndex)", siteID: siteID, capacityBytes: 1 << 40, freeBytes: 1 << 40))
                }
            }
        }
        let alliance = Alliance(
            jurisdictions: codes.map { Jurisdiction(code: $0, name: $0.rawValue) },
            groups: [],
            classifications: [
                Classification(
                    name: "public", rank: 0, storage: .alliance, keys: .home, processing: .alliance,
                    dataEmbassyPermitted: false, defaultReplicas: 3, defaultMinDistinctSites: 3, homeReplicaRequired: false
                )
            ]
        )
        let evaluator = PolicyEvaluator(alliance: alliance, agreements: [])
        let planner = PlacementPlanner(topology: Topology(sites: sites, hosts: hosts))
        let now = Date()
        // A policy depends on the dataset's home, classification and own rules, not on its identity:
        // evaluate once per kind of dataset, as the reconciler does, and plan every dataset.
        let policies = try codes.map { code in
            try evaluator.evaluate(
                Dataset(id: "template", name: "template", ownerAgency: "bench", home: code, classification: "public",
                        policy: ResidencyPolicy(), createdAt: now, updatedAt: now),
                at: now
            )
        }
        let identifiers = (0..<datasets).map { "ds-\($0)" }
        var placed = 0
        let start = ContinuousClock.now
        for (index, identifier) in identifiers.enumerated() {
            var policy = policies[index % policies.count]
            policy.datasetID = identifier
            placed += planner.plan(policy, at: now).choices.count
        }
        let elapsed = ContinuousClock.now - start
        guard placed == datasets * 3 else {
            throw ClientError(message: "the planner placed \(placed) copies, expected \(datasets * 3)")
        }
        return Double(datasets) / elapsed.inSeconds
    }

    private func measureCrush() throws -> Double {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("daulat-crush-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let built = directory.appendingPathComponent("built").path
        let text = directory.appendingPathComponent("map.txt").path
        let compiled = directory.appendingPathComponent("map").path
        let osds = jurisdictions * sitesPerJurisdiction * hostsPerSite
        _ = try ExternalTool.run(
            "crushtool",
            [
                "-o", built, "--build", "--num_osds", "\(osds)", "host", "straw2", "1", "site", "straw2", "\(hostsPerSite)",
                "jurisdiction", "straw2", "\(sitesPerJurisdiction)", "root", "straw2", "0",
            ]
        )
        _ = try ExternalTool.run("crushtool", ["-d", built, "-o", text])
        // The generated rule separates replicas by host; ours separate them by site.
        let map = try String(contentsOfFile: text, encoding: .utf8)
            .replacingOccurrences(of: "step chooseleaf firstn 0 type host", with: "step chooseleaf firstn 0 type site")
        guard map.contains("type site") else { throw ClientError(message: "unexpected crushtool map format") }
        try map.write(toFile: text, atomically: true, encoding: .utf8)
        _ = try ExternalTool.run("crushtool", ["-c", text, "-o", compiled])
        let start = ContinuousClock.now
        let output = try ExternalTool.run(
            "crushtool", ["-i", compiled, "--test", "--num-rep", "3", "--min-x", "0", "--max-x", "\(datasets - 1)", "--show-statistics"]
        )
        let elapsed = ContinuousClock.now - start
        guard output.contains("result size == 3:\t\(datasets)/\(datasets)") else {
            throw ClientError(message: "crushtool did not map every input to 3 sites:\n\(output)")
        }
        return Double(datasets) / elapsed.inSeconds
    }
}
