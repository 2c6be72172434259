import ArgumentParser
import Crypto
import DaulatControlPlane
import DaulatCore
import Foundation

/// Agent-to-agent replication over mutual TLS, against loopback TCP measured by `iperf3` in the same
/// run, and the agents' peak memory from the smallest object to the largest.
struct ReplicationBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replication",
        abstract: "Agent-to-agent replication over mutual TLS, against iperf3 loopback TCP; agents' peak memory.",
        discussion: """
            Runs `daulat dev --no-agents` and two `daulat agent` processes in a scratch directory, uploads \
            one object of each size to one agent and times until the other holds a verified copy. The \
            ratio is for the largest size. A copy is only reported once it is on disk (fsync), so the \
            disk is a limit too: `dd conv=fsync` of the largest size in the same directory is measured \
            and its ratio printed as well. Peak memory is each agent's VmHWM after each size. Needs \
            iperf3 (scripts/bench installs it) and free disk for three copies of the largest size.
            """
    )

    @Option(help: "Object sizes in MiB, comma-separated.") var sizes = "1,64,1024,4096"
    @Option(help: "Output format: table or json.") var output: OutputFormat = .table

    struct Row: Encodable {
        let sizeMiB: Int
        let seconds: Double
        let bytesPerSecond: Double
        /// The agent the object was uploaded to, while it received the upload.
        let uploadPeakMiB: Double
        let senderPeakMiB: Double
        let receiverPeakMiB: Double
    }

    func run() async throws {
        let sizes = try self.sizes.split(separator: ",").map { text -> Int in
            guard let size = Int(text.trimmingCharacters(in: .whitespaces)), size >= 1 else {
                throw ValidationError("--sizes: '\(text)' is not a whole number of MiB")
            }
            return size
        }
        let loopback = try Self.iperf3()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "daulat-bench-replication-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let cluster = try await BenchmarkCluster.start(in: directory)
        defer { cluster.stop() }
        let (datasetID, hosts) = try await cluster.register(
            name: "bench-replication", classification: "secret", replicas: 2)
        let agents = try await cluster.startAgents(hosts)
        let disk = try Self.dd(in: directory, mebibytes: sizes.max()!)

        let custody = try await CustodyKeys.fetch(
            dataset: datasetID, api: cluster.api, charter: try cluster.charter())
        var rows: [Row] = []
        for size in sizes {
            let file = directory.appendingPathComponent("object-\(size)")
            let sha256 = try Self.writeRandom(file, mebibytes: size)
            let transfer = try await ObjectRegistration.registerRandom(
                sha256: sha256, sizeBytes: Int64(size) << 20, dataset: datasetID, custody: custody,
                api: cluster.api)
            let sender = "\(agents[transfer.host]!.processIdentifier)"
            let receiver = "\(agents.first { $0.key != transfer.host }!.value.processIdentifier)"
            // The sender first receives the upload: its peak for that is measured apart from the copy's.
            PeakMemory.reset(sender)
            PeakMemory.reset(receiver)
            try await ObjectTransferClient.upload(file, with: transfer, api: cluster.api)
            let uploadPeak = try PeakMemory.mebibytes(of: sender)
            PeakMemory.reset(sender)
            PeakMemory.reset(receiver)
            try FileManager.default.removeItem(at: file)
            let started = ContinuousClock.now
            try await cluster.waitForHolders(of: datasetID, object: transfer.object.id, count: 2)
            let seconds = (ContinuousClock.now - started).inSeconds
            rows.append(
                Row(
                    sizeMiB: size, seconds: seconds, bytesPerSecond: Double(size << 20) / seconds,
                    uploadPeakMiB: uploadPeak,
                    senderPeakMiB: try PeakMemory.mebibytes(of: sender),
                    receiverPeakMiB: try PeakMemory.mebibytes(of: receiver)))
        }
        let largest = rows.max { $0.sizeMiB < $1.sizeMiB }!
        let report = BenchmarkReport(
            benchmark: "replication",
            parameters: [
                "largestMiB": largest.sizeMiB,
                "peakAgentMiB": Int(
                    rows.map { max($0.uploadPeakMiB, $0.senderPeakMiB, $0.receiverPeakMiB) }.max()!.rounded(.up)),
            ],
            daulatLabel:
                "daulat agent→agent copy, mutual TLS, SHA-256 checked, fsynced (\(largest.sizeMiB) MiB), bytes",
            daulatPerSecond: largest.bytesPerSecond,
            limitLabel: "iperf3 loopback TCP, one stream, bytes",
            limitPerSecond: loopback,
            target: 0.4
        )
        switch output {
        case .json:
            print(
                try CanonicalJSON.encode([
                    "report": AnyEncodable(report), "sizes": AnyEncodable(rows),
                    "diskBytesPerSecond": AnyEncodable(disk.rounded()),
                    "ratioToDisk": AnyEncodable((largest.bytesPerSecond / disk * 1000).rounded() / 1000),
                ]))
        case .table:
            var table = Table("SIZE", "SECONDS", "MB/S", "UPLOAD PEAK", "SENDER PEAK", "RECEIVER PEAK")
            for row in rows {
                table.add(
                    "\(row.sizeMiB) MiB", String(format: "%.2f", row.seconds),
                    String(format: "%.0f", row.bytesPerSecond / 1e6), String(format: "%.0f MiB", row.uploadPeakMiB),
                    String(format: "%.0f MiB", row.senderPeakMiB), String(format: "%.0f MiB", row.receiverPeakMiB))
            }
            print(table.render())
            try report.print(.table)
            var limits = Table("DISK LIMIT", "PER SECOND")
            limits.add("dd conv=fsync, same directory (\(largest.sizeMiB) MiB), bytes", String(format: "%.0f", disk))
            limits.add("ratio to the disk", String(format: "%.3f", largest.bytesPerSecond / disk))
            print(limits.render())
        }
    }

    /// Loopback TCP throughput in bytes a second: iperf3, one stream, five seconds.
    static func iperf3() throws -> Double {
        let port = Int.random(in: 40000...50000)
        let server = try ChildProcess.launch(["-s", "-1", "-p", "\(port)"], executable: "iperf3")
        defer { ChildProcess.stop(server) }
        Thread.sleep(forTimeInterval: 0.5)
        let output = try ExternalTool.run("iperf3", ["-c", "127.0.0.1", "-p", "\(port)", "-t", "5", "-J"])
        guard let json = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any],
            let end = json["end"] as? [String: Any], let received = end["sum_received"] as? [String: Any],
            let bits = received["bits_per_second"] as? Double
        else {
            throw ClientError(message: "could not read iperf3's throughput from:\n\(output)")
        }
        return bits / 8
    }

    /// Durable sequential write throughput of the disk under `directory`, in bytes a second.
    static func dd(in directory: URL, mebibytes: Int) throws -> Double {
        let file = directory.appendingPathComponent("dd.out")
        defer { try? FileManager.default.removeItem(at: file) }
        let output = try ExternalTool.run(
            "dd", ["if=/dev/zero", "of=\(file.path)", "bs=1M", "count=\(mebibytes)", "conv=fsync"])
        // "… bytes (…) copied, 5.81 s, 369 MB/s"
        guard let line = output.split(separator: "\n").first(where: { $0.contains(" copied, ") }),
            let seconds = Double(line.components(separatedBy: " copied, ")[1].prefix { $0 != " " }), seconds > 0
        else {
            throw ClientError(message: "could not read dd's time from:\n\(output)")
        }
        return Double(mebibytes << 20) / seconds
    }

    /// Writes `mebibytes` of random bytes; returns their SHA-256.
    static func writeRandom(_ file: URL, mebibytes: Int) throws -> String {
        guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
            throw ClientError(message: "cannot write \(file.path)")
        }
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        var hasher = SHA256()
        var generator = SystemRandomNumberGenerator()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        for _ in 0..<mebibytes {
            chunk.withUnsafeMutableBytes { bytes in
                let words = bytes.bindMemory(to: UInt64.self)
                for index in words.indices { words[index] = generator.next() }
            }
            hasher.update(data: chunk)
            try handle.write(contentsOf: chunk)
        }
        return Hex.encode(hasher.finalize())
    }
}
