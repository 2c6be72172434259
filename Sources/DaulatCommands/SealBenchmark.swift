import ArgumentParser
import Crypto
import DaulatCore
import DaulatCrypto
import Foundation

/// Sealing and opening throughput on one core, against `openssl speed -evp aes-256-gcm` at 16 KiB
/// blocks in the same run; and the peak memory of sealing then opening objects of growing size, as a
/// stream, which should not grow with the size.
struct SealBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seal",
        abstract: "Seal and open throughput against openssl speed, and peak memory by object size.",
        discussion: """
            Plaintext is handed over 1 MiB at a time, as a file or a socket would; each sealed piece is \
            opened at once, so the object is never whole in memory. The peak resident memory (VmHWM) is \
            reset before each size.
            """
    )

    @Option(help: "MiB sealed and opened for the throughput measurement.") var mebibytes = 1_024
    @Option(help: "Object sizes in MiB for the memory measurement, comma-separated.")
    var memorySizes = "1,64,1024,4096"
    @Option(help: "Output format: table or json.") var output: OutputFormat = .table

    struct Pass {
        var seal: Duration = .zero
        var open: Duration = .zero
        var peakMiB = 0.0
    }

    func run() async throws {
        let sizes = memorySizes.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard mebibytes > 0, !sizes.isEmpty, sizes.allSatisfy({ $0 > 0 }) else {
            throw ValidationError("--mebibytes and --memory-sizes must be positive")
        }
        let throughput = try Self.pass(mebibytes: mebibytes)
        let openssl = try Self.openSSLBytesPerSecond()
        let bytes = Double(mebibytes << 20)
        var peaks: [(Int, Double)] = []
        for size in sizes {
            // The throughput pass already measured its own size.
            peaks.append((size, size == mebibytes ? throughput.peakMiB : try Self.pass(mebibytes: size).peakMiB))
        }
        for (name, duration) in [("seal", throughput.seal), ("open", throughput.open)] {
            try BenchmarkReport(
                benchmark: name,
                parameters: ["mebibytes": mebibytes, "chunkBytes": SealedObjectHeader.defaultChunkSize],
                daulatLabel: "daulat \(name), bytes/s (\(mebibytes) MiB, 64 KiB chunks, one core)",
                daulatPerSecond: bytes / duration.inSeconds,
                limitLabel: "openssl speed -evp aes-256-gcm, 16 KiB blocks, bytes/s",
                limitPerSecond: openssl,
                target: 0.7
            ).print(output)
        }
        switch output {
        case .json:
            print(
                try CanonicalJSON.encode([
                    "peakMiBByObjectMiB": Dictionary(uniqueKeysWithValues: peaks.map { ("\($0.0)", $0.1) })
                ]))
        case .table:
            var table = Table("OBJECT (MiB)", "PEAK MEMORY (MiB)")
            for (size, peak) in peaks { table.add("\(size)", String(format: "%.1f", peak)) }
            print(table.render())
        }
    }

    /// Seals `mebibytes` MiB and opens each sealed piece as it comes, timing each side, and checks the
    /// plaintext came back whole.
    static func pass(mebibytes: Int) throws -> Pass {
        PeakMemory.reset()
        var generator = SystemRandomNumberGenerator()
        let piece = (0..<(1 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        var sealer = try ObjectSealer(keyID: "dek-bench", objectID: "obj-bench")
        var opener = try ObjectOpener(
            header: sealer.header, dataKey: sealer.dataKey, objectID: "obj-bench", keyID: "dek-bench")
        var pass = Pass()
        var written = SHA256()
        var read = SHA256()
        let clock = ContinuousClock()
        // Reused, as a stream to a file or socket would reuse its buffers.
        var sealed: [UInt8] = []
        var opened: [UInt8] = []
        sealed.reserveCapacity(2 << 20)
        opened.reserveCapacity(2 << 20)
        for index in 0...mebibytes {
            sealed.removeAll(keepingCapacity: true)
            opened.removeAll(keepingCapacity: true)
            pass.seal += try clock.measure {
                if index < mebibytes { try sealer.seal(piece, into: &sealed) } else { try sealer.finish(into: &sealed) }
            }
            if index < mebibytes { written.update(data: piece) }
            pass.open += try clock.measure {
                try opener.open(sealed, into: &opened)
                if index == mebibytes { try opener.finish(into: &opened) }
            }
            read.update(data: opened)
        }
        guard written.finalize() == read.finalize() else {
            throw ClientError(message: "the opened plaintext differs from the sealed one")
        }
        pass.peakMiB = try PeakMemory.mebibytes()
        return pass
    }

    /// AES-256-GCM bytes per second at 16 KiB blocks on one core, as OpenSSL reports it.
    static func openSSLBytesPerSecond() throws -> Double {
        let report = try ExternalTool.run(
            "openssl", ["speed", "-evp", "aes-256-gcm", "-bytes", "16384", "-seconds", "3"])
        // The last line: "AES-256-GCM   1234567.89k" (thousands of bytes per second).
        guard let line = report.split(separator: "\n").last(where: { $0.uppercased().hasPrefix("AES-256-GCM") }),
            let field = line.split(separator: " ").last, field.hasSuffix("k"),
            let thousands = Double(field.dropLast())
        else {
            throw ClientError(message: "unexpected openssl speed output:\n\(report)")
        }
        return thousands * 1000
    }
}
