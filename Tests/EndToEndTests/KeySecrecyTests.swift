import AsyncHTTPClient
import Crypto
import DaulatCrypto
import DaulatTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// The control plane never holds a usable key: after a put and a get, with every process logging at
    /// debug level, the object's data key appears in no log and nowhere in a `pg_dump` of the control
    /// plane's database, in any of the forms it could be written in.
    @Suite("End to end: the data key is in no log and no database dump", .serialized)
    struct KeySecrecyTests {
        static let pgDump = "/usr/lib/postgresql/15/bin/pg_dump"

        @Test("a test object's data key, recovered as its owner would, is absent from pg_dump and debug logs")
        func dataKeyNowhere() async throws {
            try #require(
                FileManager.default.isExecutableFile(atPath: Self.pgDump),
                "PostgreSQL 15's pg_dump is needed at \(Self.pgDump); `scripts/test` installs it")
            try await ServerSetup.run(environment: ["DAULAT_LOG_LEVEL": "debug"]) { setup in
                let running = try await setup.startSeeded()
                defer { running.process.stop() }
                let environment = running.environment
                let custodian = try await setup.startCustodian("id-custodian-1", running: running)
                defer { custodian.stop() }
                let (datasetID, host, agent) = try await setup.registerWithAgent(
                    ["--name", "census", "--classification", "restricted", "--home", "ID", "--storage", "ID"],
                    running: running)
                defer { agent.stop() }
                let original = setup.directory.appendingPathComponent("census.csv")
                let bytes = Array("nik,name\n3171000000000001,Siti\n".utf8)
                try Data(bytes).write(to: original)
                let put = try await DaulatProcess.run(
                    ["dataset", "put", "census", original.path], environment: environment)
                #expect(put.status == 0, "\(put.output)")
                let copy = setup.directory.appendingPathComponent("census.copy")
                let get = try await DaulatProcess.run(
                    ["dataset", "get", "census", "--to", copy.path], environment: environment)
                #expect(get.status == 0, "\(get.output)")

                // The data key, as its owner recovers it: released by the custodian to a key made here.
                let requesterKey = P256.KeyAgreement.PrivateKey()
                let release = try await KeyReleaseClient.release(
                    of: datasetID, port: running.port, client: try setup.httpsClient(), token: try setup.adminToken(),
                    requesterKey: requesterKey, owner: running.owner)
                let answer = try await KeyReleaseClient.unwrap(release)
                #expect(answer.status == 200, "\(answer.body)")
                let share = try #require(
                    try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: String])
                let objectID = try #require(release["objectID"] as? String)
                let keyID = try #require((release["keys"] as? [[String: Any]])?.first?["keyID"] as? String)
                let dataKey = try KeyWrapping.unwrap(
                    WrappedKey(
                        recipientKeyID: try #require(share["recipientKeyID"]),
                        encapsulatedKey: try #require(Data(base64Encoded: share["encapsulatedKey"] ?? "")),
                        ciphertext: try #require(Data(base64Encoded: share["ciphertext"] ?? ""))),
                    with: requesterKey, context: try WrapContext(objectID: objectID, keyID: keyID))
                // It is the key: it opens the agent's copy to the file put.
                let sealed = try [UInt8](
                    Data(
                        contentsOf: setup.blobDirectory(of: host).appendingPathComponent(
                            try #require(setup.blobs(of: host).first))))
                let (header, length) = try #require(try SealedObjectHeader.decode(sealed))
                var opener = try ObjectOpener(
                    header: header, dataKey: SymmetricKey(data: dataKey), objectID: objectID, keyID: keyID)
                var plaintext: [UInt8] = []
                try opener.open(sealed[length...], into: &plaintext)
                try opener.finish(into: &plaintext)
                #expect(plaintext == bytes)

                // The control plane counts what happened: the unwrap by justification and outcome, the
                // agents' heartbeats and the copy they reported.
                var scrape = HTTPClientRequest(url: "https://127.0.0.1:\(running.port)/metrics")
                scrape.headers.add(name: "Authorization", value: "Bearer \(try setup.adminToken())")
                let metrics = try await setup.httpsClient().execute(scrape, timeout: .seconds(10))
                let exposition = String(buffer: try await metrics.body.collect(upTo: 1 << 20))
                let lines = exposition.split(separator: "\n")
                #expect(
                    lines.contains {
                        $0.hasPrefix("daulat_key_unwraps_total{") && $0.contains(#"justification="owner-access""#)
                            && $0.contains(#"outcome="allowed""#) && !$0.hasSuffix(" 0")
                    }, "\(lines.filter { $0.hasPrefix("daulat_") })")
                for counter in [
                    "daulat_agent_heartbeats_total", "daulat_copies_recorded_total", "daulat_copied_bytes_total",
                ] {
                    let value = lines.first { $0.hasPrefix(counter + " ") }.flatMap {
                        Double($0.split(separator: " ").last ?? "")
                    }
                    #expect((value ?? 0) > 0, "\(counter): \(lines.filter { $0.hasPrefix("daulat_") })")
                }

                let forms = [
                    "raw": Data(dataKey), "base64": Data(Data(dataKey).base64EncodedString().utf8),
                    "base64url": Data(
                        Data(dataKey).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "").utf8),
                    "hex": Data(dataKey.map { String(format: "%02x", $0) }.joined().utf8),
                    "HEX": Data(dataKey.map { String(format: "%02X", $0) }.joined().utf8),
                ]
                let dump = try await Self.dump(setup.databaseURL)
                #expect(dump.count > 10_000, "the dump holds the control plane's tables")
                let logs = [
                    ("server", running.process.text), ("custodian", custodian.text), ("agent", agent.text),
                    ("put", put.output), ("get", get.output),
                ]
                #expect(logs.contains { $0.1.contains(" debug ") }, "the processes log at debug level")
                for (form, needle) in forms {
                    #expect(dump.range(of: needle) == nil, "the data key (\(form)) is in pg_dump")
                    for (name, text) in logs {
                        #expect(
                            Data(text.utf8).range(of: needle) == nil, "the data key (\(form)) is in the \(name) log")
                    }
                }
            }
        }

        static func dump(_ databaseURL: String) async throws -> Data {
            let (status, dump) = try await DaulatProcess.runCapturingBytes(
                ["--no-owner", databaseURL], program: pgDump, discardingErrors: true)
            try #require(status == 0, "pg_dump failed")
            return dump
        }
    }
}
