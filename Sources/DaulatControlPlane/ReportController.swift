import DaulatCore
import Foundation
import Hummingbird

/// `GET /v1/reports/residency`: a jurisdiction's residency report, signed (JSON), as open data (CSV)
/// or as a printable page (HTML), now or as at a past instant (`at`). Operators ask for any jurisdiction's; a regulator for its own only.
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
            let format = try Self.format(parameters["format"], default: "json")
            let now = clock()
            let asAt = try Self.asAt(parameters["at"], now: now)
            try await builder.store.alliance().requireJurisdiction(jurisdiction)
            if format == "csv", asAt == nil {
                return try await builder.streamedCSV(for: jurisdiction, at: now, context: context)
            }
            let signed = try await builder.build(for: jurisdiction, at: now, asAt: asAt)
            return try Self.response(signed, format: format)
        }
    }

    /// The `format` parameter, checked before anything is built.
    static func format(_ value: Substring?, default defaultFormat: String) throws -> String {
        let format = value.map(String.init) ?? defaultFormat
        guard ["json", "csv", "html"].contains(format) else {
            throw APIError.invalidParameter("'format' must be json, csv or html")
        }
        return format
    }

    /// The `at` parameter: a past instant to report as at, checked before anything is built.
    static func asAt(_ value: Substring?, now: Date) throws -> Date? {
        guard let value else { return nil }
        let parsed = try InstantParameter.parse(value)
        guard parsed <= now else {
            throw APIError.invalidParameter(
                "'at' is in the future (\(CanonicalJSON.format(parsed))); a report describes what has happened")
        }
        return parsed
    }

    /// The signed report as JSON, CSV or a printable page, as `format` (checked) asks.
    static func response(_ signed: SignedResidencyReport, format: String) throws -> Response {
        switch format {
        case "json": return try JSONResponse.make(signed)
        case "csv":
            return TextResponse.make(ResidencyReportCSV.render(signed.report), type: ResidencyReportCSV.contentType)
        case "html": return TextResponse.make(ResidencyReportHTML.render(signed), type: "text/html; charset=utf-8")
        default: throw APIError.invalidParameter("'format' must be json, csv or html")
        }
    }
}
