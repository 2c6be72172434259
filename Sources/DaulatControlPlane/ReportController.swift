import DaulatCore
import Foundation
import Hummingbird

/// `GET /v1/reports/residency`: a jurisdiction's residency report, signed (JSON), as open data (CSV)
/// or as a printable page (HTML). Operators ask for any jurisdiction's; a regulator for its own only.
struct ReportController<Store: DaulatStore>: Sendable {
    let builder: ResidencyReportBuilder<Store>
    let clock: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<ControlPlaneContext>) {
        group.get("reports/residency") { request, context in
            let caller = try context.caller()
            let parameters = request.uri.queryParameters
            guard let text = parameters["jurisdiction"] else {
                throw APIError.invalidParameter("'jurisdiction' is required, e.g. ?jurisdiction=ID")
            }
            let jurisdiction: JurisdictionCode
            do {
                jurisdiction = try JurisdictionCode(String(text))
            } catch {
                throw APIError.invalidParameter("'jurisdiction' must be a two-letter code, e.g. ID")
            }
            switch caller.role {
            case .operator: break
            case .regulator:
                // Another jurisdiction's report does not exist for this token.
                guard caller.jurisdiction == jurisdiction else {
                    throw APIError.notFound("report", jurisdiction.rawValue)
                }
            case .owner:
                throw APIError.forbidden("residency reports are for regulators and operators")
            }
            let format = parameters["format"].map(String.init) ?? "json"
            guard ["json", "csv", "html"].contains(format) else {
                throw APIError.invalidParameter("'format' must be json, csv or html")
            }
            try await builder.store.alliance().requireJurisdiction(jurisdiction)
            let signed = try await builder.build(for: jurisdiction, at: clock())
            switch format {
            case "csv": return Self.text(ResidencyReportCSV.render(signed.report), type: "text/csv; charset=utf-8")
            case "html": return Self.text(ResidencyReportHTML.render(signed), type: "text/html; charset=utf-8")
            default: return try JSONResponse.make(signed)
            }
        }
    }

    private static func text(_ body: String, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        // The page is self-contained: it may load nothing and run nothing.
        headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
