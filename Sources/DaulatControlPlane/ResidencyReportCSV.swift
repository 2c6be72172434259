import DaulatCore
import Foundation
import Hummingbird
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
                    HeldCopy(
                        objectID: copy.objectID, datasetID: copy.datasetID, sizeBytes: copy.sizeBytes,
                        hostID: copy.hostID), into: &buffer
                ) { _ in (copy, direction) }
            }
        }
        return String(buffer: buffer)
    }

    /// The report of the copies as they are now, written out a batch at a time as they are read: memory
    /// stays flat however many copies there are, because after each write it waits for the
    /// connection's event loop, behind the write. A failure midway ends the response without its last
    /// chunk, so no client mistakes a partial file for a whole one.
    static func streamed<Store>(_ copies: CurrentCopies<Store>, on eventLoop: any EventLoop) -> Response {
        TextResponse.make(
            ResponseBody { writer in
                var rows = ResidencyCSVRows(asAt: CanonicalJSON.format(CanonicalJSON.rounded(copies.now)))
                var buffer = ByteBuffer(string: headerLine)
                try await copies.forEachBatch { batch, judge in
                    for copy in batch {
                        rows.write(copy, into: &buffer) { copy in
                            judge(copy).map { ($0, copies.direction(of: $0)) }
                        }
                    }
                    if buffer.readableBytes >= bufferSize {
                        try await writer.write(buffer)
                        buffer.clear()
                        try await eventLoop.submit {}.get()
                    }
                }
                try await writer.write(buffer)
                try await writer.finish(nil)
            }, type: contentType)
    }

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
