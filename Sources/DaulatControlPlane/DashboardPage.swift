import DaulatCore

/// The regulator dashboard's one page for a jurisdiction: who holds whose data, violations, recent
/// evacuations, key uses, and the report downloads. Server-rendered, no scripts, readable on a phone.
enum DashboardPage {
    static func render(_ report: ResidencyReport, viewer: String, jurisdictions: [JurisdictionCode]) -> String {
        let code = report.jurisdiction.rawValue
        let escape = ResidencyReportHTML.escape
        // Copies by (home, where held): the jurisdiction's row (its data abroad and at home) and column.
        var counts: [String: Int] = [:]
        for copy in report.storedHere + report.heldAbroad {
            counts["\(copy.home.rawValue) \(copy.jurisdiction.rawValue)", default: 0] += 1
        }
        let others = jurisdictions.map(\.rawValue).filter { $0 != code }
        var html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Residency dashboard: \(escape(code))</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:1rem;color:#111;max-width:60rem}
            h1{font-size:1.3rem}h2{font-size:1.05rem;margin-top:1.5rem}
            .scroll{overflow-x:auto}table{border-collapse:collapse;font-size:.85rem;min-width:100%}
            th,td{border:1px solid #ccc;padding:.3rem .45rem;text-align:left}th{background:#eee}
            .num{text-align:right}.bad{color:#a00;font-weight:600}nav a{margin-right:1rem}
            </style></head><body>
            <h1>Residency dashboard: \(escape(code))</h1>
            <p>Signed in as \(escape(viewer)). As of \(escape(CanonicalJSON.format(report.generatedAt))); the audit \
            log held \(report.treeHead.size) entries under a signed head.</p>
            <nav>Reports: <a href="/dashboard/report?format=html&amp;jurisdiction=\(escape(code))">page</a>\
            <a href="/dashboard/report?format=json&amp;jurisdiction=\(escape(code))">signed JSON</a>\
            <a href="/dashboard/report?format=csv&amp;jurisdiction=\(escape(code))">CSV</a></nav>
            <h2>Who holds whose data</h2>
            <div class="scroll"><table><thead><tr><th>Data of</th><th>Held in</th><th class="num">Copies</th></tr></thead><tbody>

            """
        var rows: [(String, String, Int)] = []
        if let home = counts["\(code) \(code)"] { rows.append((code, code, home)) }
        for other in others {
            if let abroad = counts["\(code) \(other)"] { rows.append((code, other, abroad)) }
            if let hosted = counts["\(other) \(code)"] { rows.append((other, code, hosted)) }
        }
        if rows.isEmpty { html += "<tr><td colspan=\"3\">No copies concern \(escape(code)).</td></tr>\n" }
        for (home, held, count) in rows {
            html += "<tr><td>\(escape(home))</td><td>\(escape(held))</td><td class=\"num\">\(count)</td></tr>\n"
        }
        html += "</tbody></table></div>\n<h2>Placements that cannot meet their policy</h2>\n"
        html += list(report.violations.map { "\($0.datasetID): \($0.message)" }, empty: "None.", bad: true)
        html += "<h2>Recent evacuations</h2>\n"
        html += list(
            report.evacuations.prefix(20).map {
                "\($0.objectID) of \($0.datasetID) from \($0.hostID) (\($0.jurisdiction.rawValue)): \($0.state.rawValue), deadline \(CanonicalJSON.format($0.deadline))"
            }, empty: "None.", bad: false)
        html += "<h2>Key uses</h2>\n"
        html += list(
            report.keyUses.map { "\($0.justification.rawValue): \($0.allowed) allowed, \($0.refused) refused" },
            empty: "None.", bad: false)
        html += "<h2>Key shares released: \(report.keyReleases)</h2>\n"
        html += list(
            report.unloggedReleases.map {
                "released by \($0.custodianID) for \($0.objectID) of \($0.datasetID) on decision \($0.decisionID), which the log does not hold"
            }, empty: "Every release was on a decision the log holds.", bad: true)
        html += "<h2>Datasets stored here</h2>\n"
        html += list(
            Set(report.storedHere.map { "\($0.datasetName) (\($0.ownerAgency), home \($0.home.rawValue))" }).sorted(),
            empty: "None.", bad: false)
        return html + "</body></html>\n"
    }

    private static func list(_ items: [String], empty: String, bad: Bool) -> String {
        guard !items.isEmpty else { return "<p>\(ResidencyReportHTML.escape(empty))</p>\n" }
        let css = bad ? " class=\"bad\"" : ""
        return "<ul>" + items.map { "<li\(css)>\(ResidencyReportHTML.escape($0))</li>" }.joined() + "</ul>\n"
    }
}
