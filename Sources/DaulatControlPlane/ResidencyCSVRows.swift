import DaulatCore
import NIOCore

/// Writes a residency report's CSV rows. Every field of a row but the object's id and size depends only
/// on the dataset and the host (and, through the host, the part of the report), so those are formatted
/// once per pair and kept: a row is then a few copies of bytes, however many millions there are.
struct ResidencyCSVRows {
    /// The instant every row describes, formatted as in the JSON.
    let asAt: String
    /// Pairs kept at most; forgotten all at once past this many datasets, so memory stays flat.
    var datasetsKept = 10_000
    private var parts: [String: [String: (head: [UInt8], tail: [UInt8])]] = [:]

    init(asAt: String) { self.asAt = asAt }

    /// Writes the row of `copy`; `judge` says what the report says of it and in which part, and is
    /// asked only for a dataset and host not seen before (nil: the copy is left out).
    mutating func write(
        _ copy: CopyHolding, into buffer: inout ByteBuffer, judge: (CopyHolding) -> (ReportedCopy, CopyDirection)?
    ) {
        let pair: (head: [UInt8], tail: [UInt8])
        if let kept = parts[copy.datasetID]?[copy.hostID] {
            pair = kept
        } else {
            guard let (reported, direction) = judge(copy) else { return }
            if parts[copy.datasetID] == nil, parts.count >= datasetsKept { parts = [:] }
            pair = (
                Array(
                    [
                        direction.rawValue, reported.datasetID, reported.datasetName, reported.ownerAgency,
                        reported.home.rawValue, reported.classification, "",
                    ].map(ResidencyReportCSV.field).joined(separator: ",").utf8),
                Array(
                    [
                        "", reported.hostID, reported.siteID, reported.jurisdiction.rawValue,
                        reported.allowed ? "yes" : "no", reported.agreementID ?? "", reported.basis, asAt,
                    ].map(ResidencyReportCSV.field).joined(separator: ",").utf8 + [
                        UInt8(ascii: "\r"), UInt8(ascii: "\n"),
                    ])
            )
            parts[copy.datasetID, default: [:]][copy.hostID] = pair
        }
        buffer.writeBytes(pair.head)
        buffer.writeString(ResidencyReportCSV.field(copy.objectID))
        buffer.writeInteger(UInt8(ascii: ","))
        buffer.writeString(String(copy.sizeBytes))
        buffer.writeBytes(pair.tail)
    }
}
