import DaulatCore
import Foundation
import HTTPTypes
import Hummingbird

/// An error a client receives: HTTP status, a stable machine code, and a message saying what was wrong.
/// The body is always `{"error": {"code": "...", "message": "..."}}`.
public struct APIError: Error, HTTPResponseError, Sendable, Equatable {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String

    public init(_ status: HTTPResponse.Status, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public static func == (lhs: APIError, rhs: APIError) -> Bool {
        lhs.status.code == rhs.status.code && lhs.code == rhs.code && lhs.message == rhs.message
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = try CanonicalJSON.encoder().encode(ErrorBody(code: code, message: message))
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(data: body)))
    }

    // MARK: The codes clients can rely on

    static func malformedJSON(_ detail: String) -> APIError {
        APIError(.badRequest, code: "malformed_json", message: detail)
    }
    static func invalidField(_ detail: String) -> APIError {
        APIError(.badRequest, code: "invalid_field", message: detail)
    }
    static func unknownField(_ detail: String) -> APIError {
        APIError(.badRequest, code: "unknown_field", message: detail)
    }
    static func invalidParameter(_ detail: String) -> APIError {
        APIError(.badRequest, code: "invalid_parameter", message: detail)
    }
    static let unauthorized = APIError(
        .unauthorized, code: "unauthorized", message: "a valid bearer token is required (Authorization: Bearer <token>)"
    )
    static func forbidden(_ detail: String) -> APIError { APIError(.forbidden, code: "forbidden", message: detail) }
    static func notFound(_ kind: String, _ id: String) -> APIError {
        APIError(.notFound, code: "not_found", message: "\(kind) '\(id)' not found")
    }
    static func conflict(_ detail: String) -> APIError { APIError(.conflict, code: "conflict", message: detail) }
    static func bodyTooLarge(limit: Int) -> APIError {
        APIError(.contentTooLarge, code: "body_too_large", message: "the request body exceeds \(limit) bytes")
    }
    static let databaseUnavailable = APIError(
        .serviceUnavailable, code: "database_unavailable",
        message: "the database is unavailable; nothing was changed, try again shortly"
    )
    static let internalError = APIError(
        .internalServerError, code: "internal_error", message: "an internal error occurred; it has been logged"
    )
}

extension APIError {
    /// Runs a store insert; a record that exists already is a 409 naming `what`, the same whatever
    /// the database says.
    static func creating(_ what: String, _ operation: () async throws -> Void) async throws {
        do {
            try await operation()
        } catch StoreError.conflict {
            throw APIError.conflict("\(what) already exists")
        }
    }
}
