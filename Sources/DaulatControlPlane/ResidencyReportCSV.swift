import DaulatCore

/// A residency report as open data: one row per copy, stored in the jurisdiction or its own held abroad.
enum ResidencyReportCSV {
    static let header = [
        "direction", "dataset_id", "dataset_name", "owner_agency", "home", "classification", "object_id",
        "size_bytes", "host_id", "site_id", "jurisdiction", "allowed", "agreement_id", "basis", "as_at",
    ]

    static func render(_ report: ResidencyReport) -> String {
        // Each row says which instant it describes, so that rows from several reports can be mixed.
        let asAt = CanonicalJSON.format(report.asAt ?? report.generatedAt)
        var lines = [header.joined(separator: ",")]
        for (direction, copies) in [("stored-here", report.storedHere), ("held-abroad", report.heldAbroad)] {
            for copy in copies {
                lines.append(
                    [
                        direction, copy.datasetID, copy.datasetName, copy.ownerAgency, copy.home.rawValue,
                        copy.classification, copy.objectID, "\(copy.sizeBytes)", copy.hostID, copy.siteID,
                        copy.jurisdiction.rawValue, copy.allowed ? "yes" : "no", copy.agreementID ?? "", copy.basis,
                        asAt,
                    ].map(field).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// RFC 4180: quoted when it holds a comma, a quote or a line break, quotes doubled.
    static func field(_ value: String) -> String {
        guard value.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            return value
        }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
