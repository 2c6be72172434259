import AsyncHTTPClient
import DaulatTestSupport
import Foundation
import NIOCore
import NIOSSL
import Testing

extension EndToEnd {
    /// Objects go from a data owner straight to an agent in an allowed place and back, through `daulat`
    /// processes: the control plane only signs tickets. Every misuse of a ticket, and bytes that are not
    /// the object, are refused by the agent.
    @Suite("End to end: objects uploaded to and downloaded from agents", .serialized)
    struct ObjectTransferTests {
        struct Transfer: Decodable {
            struct Object: Decodable {
                let id: String
                let sha256: String
                let sizeBytes: Int64
            }
            let object: Object
            let host: String
            let url: String
            let ticket: String
            let caCertificate: String
        }

        /// Sends `bytes` to `url` with `ticket`; returns the status and the error code and message, if any.
        func put(_ bytes: [UInt8], to url: String, ticket: String?, authority: String) async throws -> (
            status: Int, code: String?, message: String?
        ) {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(authority.utf8), format: .pem)])
            tls.certificateVerification = .noHostnameVerification
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
            var request = HTTPClientRequest(url: url)
            request.method = .PUT
            if let ticket { request.headers.add(name: "Authorization", value: "Ticket \(ticket)") }
            request.body = .bytes(ByteBuffer(bytes: bytes))
            let result: (Int, String?, String?)
            do {
                let response = try await client.execute(request, timeout: .seconds(30))
                let body = try await response.body.collect(upTo: 1 << 20)
                let json = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
                let error = json?["error"] as? [String: Any]
                result = (Int(response.status.code), error?["code"] as? String, error?["message"] as? String)
            } catch {
                try? await client.shutdown()
                throw error
            }
            try await client.shutdown()
            return result
        }

        @Test(
            "put, get and replication through agents in allowed places; forged, replayed, misdirected tickets, wrong bytes and copies where the agent stands elsewhere refused",
            arguments: [false, true]
        )
        func objects(secondAgentMisplaced: Bool) async throws {
            try await ServerSetup.run { setup in
                let running = try await setup.startSeeded()
                let server = running.process
                defer { server.stop() }
                let (port, agentPort, environment) = (running.port, running.agentPort, running.environment)
                // Keys of these datasets may be held at home only: Indonesia and Estonia.
                let custodians = [
                    try await setup.startCustodian("id-custodian-1", running: running),
                    try await setup.startCustodian("ee-custodian-1", running: running),
                ]
                defer { DaulatProcess.stop(custodians) }

                let register = [
                    "dataset", "register", "--classification", "restricted", "--owner-agency", "bps", "--replicas", "2",
                ]
                let census = try await DaulatProcess.run(
                    register + ["--name", "census", "--home", "ID", "--output", "json"], environment: environment)
                #expect(census.status == 0, "\(census.output)")
                let datasetID = try #require(
                    ((try JSONSerialization.jsonObject(with: Data(census.output.utf8)) as? [String: Any])?["dataset"]
                        as? [String: Any])?["id"] as? String)
                #expect(
                    try await DaulatProcess.run(
                        register + ["--name", "population", "--home", "EE"], environment: environment
                    ).status == 0)
                let placedHosts = try #require(
                    (((try JSONSerialization.jsonObject(with: Data(census.output.utf8)) as? [String: Any])?["placement"]
                        as? [String: Any])?["choices"]
                        as? [[String: Any]])?.compactMap { $0["hostID"] as? String })
                #expect(placedHosts.count == 2)

                // Agents on the hosts the Indonesian dataset is placed on (in Indonesia and Singapore), none in
                // Estonia or Finland.
                var agents: [DaulatProcess] = []
                defer { DaulatProcess.stop(agents) }
                for host in placedHosts {
                    let token = try await AgentListing.joinToken(for: host, environment: environment)
                    // Misplaced: its operator says it stands in Malaysia, where the control plane disagrees.
                    let declared = secondAgentMisplaced && host == placedHosts[1] ? ["--jurisdiction", "MY"] : []
                    let agent = try DaulatProcess(
                        [
                            "agent", "--server", "https://127.0.0.1:\(port)", "--agent-server",
                            "https://127.0.0.1:\(agentPort)",
                            "--join-token", token,
                            "--data-dir", setup.directory.appendingPathComponent(host).path, "--heartbeat-interval",
                            "1", "--charter", setup.charterFile,
                        ] + declared)
                    agents.append(agent)
                    _ = try await agent.waitForOutput(containing: "serving objects")
                }
                var urls: [String: String] = [:]
                for _ in 0..<40 where urls.count < 2 {
                    for entry in try await AgentListing.entries(environment: environment) {
                        if let url = entry.dataURL { urls[entry.host] = url }
                    }
                    try await Task.sleep(for: .milliseconds(250))
                }
                #expect(urls.count == 2, "both agents report where they serve objects")

                // A round trip through the CLI, three megabytes of random bytes, sealed here and opened here.
                let original = setup.directory.appendingPathComponent("census.csv")
                var generator = SystemRandomNumberGenerator()
                let bytes = (0..<3_000_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
                try Data(bytes).write(to: original)
                let uploaded = try await DaulatProcess.run(
                    ["dataset", "put", "census", original.path, "--output", "json"], environment: environment)
                #expect(uploaded.status == 0, "\(uploaded.output)")
                #expect(
                    uploaded.output.contains(placedHosts[0]),
                    "the first placed host takes the upload: \(uploaded.output)")
                let copy = setup.directory.appendingPathComponent("census.copy")
                let downloaded = try await DaulatProcess.run(
                    ["dataset", "get", "census", "--to", copy.path], environment: environment)
                #expect(downloaded.status == 0, "\(downloaded.output)")
                #expect(try Data(contentsOf: copy) == Data(bytes))
                // Keys open only where the dataset may be processed, with a justification that holds;
                // each request the owner signed is in the audit log either way, and nothing is written
                // when refused. An order is for the state's authority to sign, not the agency.
                let refusedCopy = setup.directory.appendingPathComponent("refused.copy")
                let abroad = try await DaulatProcess.run(
                    ["dataset", "get", "census", "--to", refusedCopy.path, "--jurisdiction", "EE"],
                    environment: environment)
                #expect(abroad.status != 0 && abroad.output.contains("processing_not_allowed"), "\(abroad.output)")
                let unreferenced = try await DaulatProcess.run(
                    ["dataset", "get", "census", "--to", refusedCopy.path, "--justification", "regulator-order"],
                    environment: environment)
                #expect(
                    unreferenced.status != 0 && unreferenced.output.contains("consent_wrong_signer"),
                    "\(unreferenced.output)")
                #expect(!FileManager.default.fileExists(atPath: refusedCopy.path))
                let keyUses = try await Self.auditActions(
                    port: port, client: try setup.httpsClient(), token: try setup.adminToken())
                #expect(keyUses.filter { $0 == "key.unwrap_allowed" }.count == 1)
                #expect(keyUses.filter { $0 == "key.unwrap_refused" }.count == 1)
                let stored = try #require(
                    (try JSONSerialization.jsonObject(with: Data(uploaded.output.utf8)) as? [String: Any])?["sha256"]
                        as? String)

                // The second placed host's agent copies the object from the first, or refuses to.
                let storedID = try #require(
                    (try JSONSerialization.jsonObject(with: Data(uploaded.output.utf8)) as? [String: Any])?["id"]
                        as? String)
                let secondBlob = setup.blobDirectory(of: placedHosts[1]).appendingPathComponent("\(storedID).\(stored)")
                if secondAgentMisplaced {
                    _ = try await agents[1].waitForOutput(containing: "assignment refused", timeout: 15)
                    #expect(!FileManager.default.fileExists(atPath: secondBlob.path))
                    #expect(
                        try await Self.auditActions(
                            port: port, client: try setup.httpsClient(), token: try setup.adminToken()
                        ).contains(
                            "agent.assignment_refused"))
                } else {
                    _ = try await agents[1].waitForOutput(containing: "object copied", timeout: 15)
                    // Agents hold ciphertext only: the copy is the sealed object, not the file.
                    let held = try Data(contentsOf: secondBlob)
                    #expect(try await Self.sha256([UInt8](held)) == stored)
                    #expect(held.count > bytes.count && held.range(of: Data(bytes.prefix(64))) == nil)
                    var holders = Set<String>()
                    _ = try await EndToEnd.eventually(10) {
                        holders = try await EndToEnd.holders(of: "census", environment: environment)
                        return holders.count >= 2
                    }
                    #expect(holders == Set(placedHosts), "both placed hosts hold a verified copy")
                }

                // Estonian data may live in Estonia and Finland only: no agent there, so no upload anywhere.
                let estonian = try await DaulatProcess.run(
                    ["dataset", "put", "population", original.path], environment: environment)
                #expect(estonian.status != 0 && estonian.output.contains("no_agent_available"), "\(estonian.output)")

                // The agent's checks, with tickets as the control plane issues them.
                let small = Array(bytes.prefix(1_000))
                let sha256 = try await Self.sha256(small)
                let ticketed = try await Self.createObject(
                    datasetID: datasetID, sha256: sha256, size: small.count, port: port,
                    client: try setup.httpsClient(), token: try setup.adminToken())
                #expect(
                    try await put(small, to: ticketed.url, ticket: nil, authority: ticketed.caCertificate).code
                        == "ticket_required")
                let forged = String(ticketed.ticket.dropLast(6)) + "AAAAAA"
                #expect(
                    try await put(small, to: ticketed.url, ticket: forged, authority: ticketed.caCertificate).code
                        == "ticket_signature_invalid")
                let otherHost = try #require(urls[ticketed.host == placedHosts[0] ? placedHosts[1] : placedHosts[0]])
                let misdirected = try await put(
                    small, to: "\(otherHost)/objects/\(sha256)", ticket: ticketed.ticket,
                    authority: ticketed.caCertificate)
                #expect(misdirected.code == "ticket_for_another_host")
                var wrong = small
                wrong[0] ^= 0xff
                let mismatch = try await put(
                    wrong, to: ticketed.url, ticket: ticketed.ticket, authority: ticketed.caCertificate)
                #expect(mismatch.status == 400 && mismatch.code == "object_hash_mismatch")
                // A failed upload stores nothing and leaves its ticket usable for a retry.
                let retried = try await put(
                    small, to: ticketed.url, ticket: ticketed.ticket, authority: ticketed.caCertificate)
                #expect(retried.status == 201, "\(retried)")

                let again = try await Self.createObject(
                    datasetID: datasetID, sha256: sha256, size: small.count, port: port,
                    client: try setup.httpsClient(), token: try setup.adminToken())
                let second = try await put(small, to: again.url, ticket: again.ticket, authority: again.caCertificate)
                #expect(second.status == 201, "\(second)")
                #expect(
                    try await put(small, to: again.url, ticket: again.ticket, authority: again.caCertificate).code
                        == "ticket_replayed")
                let tooLong = try await Self.createObject(
                    datasetID: datasetID, sha256: sha256, size: small.count, port: port,
                    client: try setup.httpsClient(), token: try setup.adminToken())
                #expect(
                    try await put(
                        small + [0], to: tooLong.url, ticket: tooLong.ticket, authority: tooLong.caCertificate
                    )
                    .status == 413)
            }
        }

        static func sha256(_ bytes: [UInt8]) async throws -> String {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("daulat-sha-\(UUID().uuidString)")
            try Data(bytes).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            return String(try await DaulatProcess.run([file.path], program: "/usr/bin/sha256sum").output.prefix(64))
        }

        static func auditActions(port: Int, client: HTTPClient, token: String) async throws -> [String] {
            try await auditEntries(port: port, client: client, token: token).compactMap { $0["action"] as? String }
        }

        static func auditEntries(port: Int, client: HTTPClient, token: String) async throws -> [[String: Any]] {
            var request = HTTPClientRequest(url: "https://127.0.0.1:\(port)/v1/audit?limit=1000")
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            let response = try await client.execute(request, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 16 << 20)
            let entries =
                (try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any])?["entries"]
                as? [[String: Any]]
            return entries ?? []
        }

        static func createObject(
            datasetID: String, sha256: String, size: Int, port: Int, client: HTTPClient, token: String
        ) async throws -> Transfer {
            var request = HTTPClientRequest(url: "https://127.0.0.1:\(port)/v1/datasets/\(datasetID)/objects")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            request.headers.add(name: "Content-Type", value: "application/json")
            // The control plane cannot open wrapped keys, so any well-formed one registers the object:
            // enough for testing the agents' checks of tickets, which never see keys.
            let objectID = "obj-" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
            let encapsulated = Data([4] + [UInt8](repeating: 7, count: 64)).base64EncodedString()
            let wrapped = Data(repeating: 9, count: 48).base64EncodedString()
            let key =
                #"{"custodianID":"id-custodian-1","keyID":"dk-test","shareIndex":0,"threshold":1,"recipientKeyID":"id-custodian-1/\#(datasetID)/v1","encapsulatedKey":"\#(encapsulated)","ciphertext":"\#(wrapped)"}"#
            request.body = .bytes(
                ByteBuffer(
                    string:
                        #"{"id":"\#(objectID)","sha256":"\#(sha256)","sizeBytes":\#(size),"keys":[\#(key)]}"#))
            let response = try await client.execute(request, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 1 << 20)
            return try JSONDecoder().decode(Transfer.self, from: Data(buffer: body))
        }
    }
}
