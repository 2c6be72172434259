import DaulatCore
import DaulatPKI
import DaulatStore
import Hummingbird
import Logging

/// Turns every error a handler throws into an ``APIError`` with a stable code. Domain rule violations are
/// 422, unreadable input 400, missing things 404; an unexpected error is logged in full and reported
/// as a 500 that reveals nothing of its detail.
struct ErrorMappingMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            let mapped = Self.map(error)
            if mapped.status == .internalServerError {
                context.logger.error(
                    "request failed", metadata: ["daulat.error": "\(String(reflecting: error))", "daulat.path": "\(request.uri.path)"]
                )
            }
            return try mapped.response(from: request, context: context)
        }
    }

    static func map(_ error: any Error) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as DomainError:
            return APIError(.unprocessableContent, code: error.code.rawValue, message: error.message)
        case let error as UnknownFieldError:
            return .unknownField(error.description)
        case let error as RequestDecodingError:
            if case .dataCorrupted(let context) = error.underlying, context.codingPath.isEmpty {
                return .malformedJSON("the body is not valid JSON")
            }
            return .invalidField(DecodingErrorDescription.describe(error.underlying))
        case let error as StoreError:
            switch error {
            case .notFound(let kind, let id): return .notFound(kind, id)
            case .conflict(let message): return .conflict(message)
            case .refused(let code, let message): return APIError(.conflict, code: code, message: message)
            case .idempotencyKeyReused:
                return APIError(.unprocessableContent, code: "idempotency_key_reused", message: error.description)
            case .catalogChanged:
                return APIError(.conflict, code: "catalog_changed", message: "\(error.description); nothing was changed, try again")
            case .unavailable: return .databaseUnavailable
            case .schemaTooNew: return .databaseUnavailable
            }
        case let error as JoinTokenRefusal:
            return APIError(.unauthorized, code: error.code, message: error.description)
        case let error as CertificateAuthorityError:
            switch error {
            case .malformedRequest, .badRequestSignature: return APIError(.badRequest, code: error.code, message: error.description)
            case .requestNamesAnotherIdentity: return APIError(.forbidden, code: error.code, message: error.description)
            case .invalidSealingKey, .wrongSealingKey: return .internalError
            }
        case let error as InvalidCursorError:
            return .invalidParameter(error.description)
        case let error as HTTPError where error.status == .contentTooLarge:
            return .bodyTooLarge(limit: RequestBody.maximumBytes)
        case let error as HTTPError where error.status == .notFound:
            return APIError(.notFound, code: "route_not_found", message: "no such endpoint; see /openapi.yaml")
        case let error as HTTPError where error.status == .methodNotAllowed:
            return APIError(.methodNotAllowed, code: "method_not_allowed", message: "this endpoint does not accept that method")
        case let error as HTTPError where (400..<500).contains(error.status.code):
            return APIError(error.status, code: "bad_request", message: error.body ?? error.status.reasonPhrase)
        default:
            // Lost database connections arrive as StoreError.unavailable (the backends translate them);
            // anything else here is a fault of the server.
            return .internalError
        }
    }
}
