import DaulatCore
import Foundation
import Hummingbird
import Logging
import NIOCore

/// A residency report as open data: one row per copy, stored in the jurisdiction or its own held abroad.
enum ResidencyReportCSV {
    static let header = [
        "direction", "dataset_id", "dataset_name", "owner_agency", "home", "classification", "object_id",
        "size_bytes", "host_id", "site_id", "jurisdiction", "allowed", "agreement_id", "basis", "as_at",
    ]

    /// The whole report, from the copies it lists.
    static func render(_ report: ResidencyReport) -> String {
        var rows = ResidencyCSVRows(asAt: CanonicalJSON.format(report.asAt ?? report.generatedAt))
        var buffer = ByteBuffer(string: headerLine)
        for (copies, direction) in [(report.storedHere, CopyDirection.storedHere), (report.heldAbroad, .heldAbroad)] {
            for copy in copies {
                rows.write(
                    CopyHolding(
                        objectID: copy.objectID, datasetID: copy.datasetID, sizeBytes: copy.sizeBytes,
                        hostID: copy.hostID), into: &buffer
                ) { _ in (copy, direction) }
            }
        }
        return String(buffer: buffer)
    }

    /// The report of the copies as they are now, written out a batch at a time as they are read: memory
    /// stays flat however many copies there are, because after each write it waits for the
    /// connection's event loop, behind the write. A client that takes nothing of a write for
    /// ``stallLimit`` is cut off. A failure midway ends the response without its last chunk, so no client mistakes a partial
    /// file for a whole one, and is logged. `slot` is held until the response is gone.
    static func streamed<Store>(
        _ copies: CurrentCopies<Store>, on channel: any Channel, slot: ReportStreams.Slot, logger: Logger
    ) -> Response {
        TextResponse.make(
            ResponseBody { writer in
                _ = slot
                var rows = ResidencyCSVRows(asAt: CanonicalJSON.format(CanonicalJSON.rounded(copies.now)))
                var buffer = ByteBuffer(string: headerLine)
                var written = 0
                let progress = StreamProgress()
                do {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            while !progress.stalled(for: stallLimit) { try await Task.sleep(for: .seconds(1)) }
                            channel.close(promise: nil)
                        }
                        defer { group.cancelAll() }
                        try await copies.forEachBatch { batch, judge in
                            for copy in batch {
                                rows.write(copy, into: &buffer) { copy in
                                    judge(copy).map { ($0, copies.direction(of: $0)) }
                                }
                            }
                            written += batch.count
                            if buffer.readableBytes >= bufferSize {
                                progress.writing()
                                try await writer.write(buffer)
                                buffer.clear()
                                try await channel.eventLoop.submit {}.get()
                                progress.written()
                            }
                        }
                        progress.writing()
                        try await writer.write(buffer)
                        try await writer.finish(nil)
                    }
                } catch {
                    logger.error(
                        "residency report cut off",
                        metadata: [
                            "daulat.jurisdiction": "\(copies.jurisdiction.rawValue)",
                            "daulat.copies_read": "\(written)",
                            "daulat.error": "\(error)",
                        ])
                    throw error
                }
            }, type: contentType)
    }

    /// How long a client may take nothing of a write before its report is cut off.
    static var stallLimit: Duration { .seconds(60) }

    static let contentType = "text/csv; charset=utf-8"

    /// How much is gathered before a write: large enough that writes are few, small enough to stay flat.
    static var bufferSize: Int { 1 << 16 }

    static var headerLine: String { header.joined(separator: ",") + "\r\n" }

    /// RFC 4180: quoted when it holds a comma, a quote or a line break, quotes doubled.
    static func field(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
            return value
        }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
