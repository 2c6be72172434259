import DaulatCore

/// A residency report as one self-contained, printable page: no scripts, no external styles or fonts.
enum ResidencyReportHTML {
    static func render(_ signed: SignedResidencyReport) -> String {
        let report = signed.report
        let code = report.jurisdiction.rawValue
        var html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Residency report: \(escape(code))</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:2rem;color:#111;max-width:75rem}
            h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #999}
            table{border-collapse:collapse;width:100%;font-size:.85rem}th,td{border:1px solid #ccc;padding:.25rem .4rem;text-align:left;vertical-align:top}
            th{background:#eee}.no{color:#a00;font-weight:600}.mono{font-family:ui-monospace,monospace;word-break:break-all}
            @media print{body{margin:0}h2{break-after:avoid}tr{break-inside:avoid}}
            </style></head><body>
            <h1>Residency report: \(escape(code))</h1>
            <p>Generated \(escape(CanonicalJSON.format(report.generatedAt)))\(report.asAt.map { ", describing \(escape(CanonicalJSON.format($0))) as replayed from the audit log" } ?? ""). The audit log held \(report.treeHead.size) \
            entries, root <span class="mono">\(escape(report.treeHead.root))</span>, signed \
            \(escape(CanonicalJSON.format(report.treeHead.timestamp))). Check the JSON form offline with \
            <code>daulat verify</code>.</p>

            """
        html += section(
            "Stored in \(code)", copies: report.storedHere,
            empty: "No copy of any dataset is stored in \(code).")
        html += section(
            "\(code)'s datasets held abroad", copies: report.heldAbroad,
            empty: "No copy of a dataset at home in \(code) is held abroad.")
        html += "<h2>Placements that cannot meet their policy</h2>\n"
        html += table(
            ["Dataset", "Kind", "Why"], report.violations.map { [$0.datasetID, $0.kind, $0.message] },
            empty: "None.")
        html += "<h2>Evacuations</h2>\n"
        html += table(
            ["Dataset", "Object", "Host", "In", "Started", "Deadline", "State"],
            report.evacuations.map {
                [
                    $0.datasetID, $0.objectID, $0.hostID, $0.jurisdiction.rawValue, CanonicalJSON.format($0.startedAt),
                    CanonicalJSON.format($0.deadline), $0.state.rawValue,
                ]
            }, empty: "None.")
        html += "<h2>Key uses by justification</h2>\n"
        html += table(
            ["Justification", "Allowed", "Refused"],
            report.keyUses.map { [$0.justification.rawValue, "\($0.allowed)", "\($0.refused)"] }, empty: "None.")
        html += "<h2>Key shares released by custodians: \(report.keyReleases)</h2>\n"
        html += "<p>Released on a decision the audit log does not hold:</p>\n"
        html += table(
            ["Decision", "Custodian", "Dataset", "Object"],
            report.unloggedReleases.map { [$0.decisionID, $0.custodianID, $0.datasetID, $0.objectID] }, empty: "None.")
        html += "<p>Report signature <span class=\"mono\">\(escape(signed.signature))</span></p>\n</body></html>\n"
        return html
    }

    private static func section(_ title: String, copies: [ReportedCopy], empty: String) -> String {
        "<h2>\(escape(title))</h2>\n"
            + table(
                ["Dataset", "Agency", "Home", "Classification", "Object", "Bytes", "Host", "Site", "In", "Basis"],
                copies.map {
                    [
                        "\($0.datasetName) (\($0.datasetID))", $0.ownerAgency, $0.home.rawValue, $0.classification,
                        $0.objectID, "\($0.sizeBytes)", $0.hostID, $0.siteID, $0.jurisdiction.rawValue,
                        $0.allowed ? $0.basis : "NOT ALLOWED: \($0.basis)",
                    ]
                }, empty: empty)
    }

    private static func table(_ header: [String], _ rows: [[String]], empty: String) -> String {
        guard !rows.isEmpty else { return "<p>\(escape(empty))</p>\n" }
        var html = "<table><thead><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead><tbody>\n"
        for row in rows {
            html +=
                "<tr>"
                + row.map { cell in
                    let css = cell.hasPrefix("NOT ALLOWED") ? " class=\"no\"" : ""
                    return "<td\(css)>\(escape(cell))</td>"
                }.joined() + "</tr>\n"
        }
        return html + "</tbody></table>\n"
    }

    /// Scalar by scalar: a combining mark cannot hide a `<` inside one character.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
