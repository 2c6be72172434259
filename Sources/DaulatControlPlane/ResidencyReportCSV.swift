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
        let asAt = CanonicalJSON.format(report.asAt ?? report.generatedAt)
        var text = headerLine
        for copy in report.storedHere { text += row(copy, direction: .storedHere, asAt: asAt) }
        for copy in report.heldAbroad { text += row(copy, direction: .heldAbroad, asAt: asAt) }
        return text
    }

    /// The report of the copies as they are now, written out a page at a time as they are read: memory
    /// stays flat however many copies there are, because after each write it waits for the
    /// connection's event loop, behind the write. A failure midway ends the response without its last
    /// chunk, so no client mistakes a partial file for a whole one.
    static func streamed<Store>(_ copies: CurrentCopies<Store>, on eventLoop: any EventLoop) -> Response {
        let asAt = CanonicalJSON.format(CanonicalJSON.rounded(copies.now))
        return TextResponse.make(
            ResponseBody { writer in
                var buffer = ByteBuffer(string: headerLine)
                _ = try await copies.forEachPage { direction, page in
                    for copy in page { buffer.writeString(row(copy, direction: direction, asAt: asAt)) }
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

    /// One copy's line, ending in CRLF. Each row says which instant it describes (`asAt`, formatted as
    /// in the JSON), so that rows from several reports can be mixed.
    static func row(_ copy: ReportedCopy, direction: CopyDirection, asAt: String) -> String {
        [
            direction.rawValue, copy.datasetID, copy.datasetName, copy.ownerAgency, copy.home.rawValue,
            copy.classification, copy.objectID, "\(copy.sizeBytes)", copy.hostID, copy.siteID,
            copy.jurisdiction.rawValue, copy.allowed ? "yes" : "no", copy.agreementID ?? "", copy.basis,
            asAt,
        ].map(field).joined(separator: ",") + "\r\n"
    }

    /// RFC 4180: quoted when it holds a comma, a quote or a line break, quotes doubled.
    static func field(_ value: String) -> String {
        guard value.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            return value
        }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
