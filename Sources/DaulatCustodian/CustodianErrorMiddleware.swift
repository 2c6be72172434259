import DaulatAgent
import DaulatCore
import DaulatCrypto
import Foundation
import Hummingbird
import NIOCore
import NIOFoundationCompat

/// Turns the custodian listener's errors into JSON error bodies with stable codes: a refusal is a 403,
/// a malformed request a 400, and only the custodian's own failures a 500.
struct CustodianErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as CustodianRequestError {
            return try JSONReply.error(error.status, code: error.code, message: error.message)
        } catch let error as CustodianError {
            return try JSONReply.error(.forbidden, code: error.code, message: error.description)
        } catch let error as KeystoreError {
            switch error {
            case .cannotOpenKey, .permissionsTooOpen, .storage:
                context.logger.error("keystore failed", metadata: ["daulat.error": "\(error)"])
                return try JSONReply.error(.internalServerError, code: error.code, message: error.description)
            case .invalidScope, .notThisCustodian, .unknownKey:
                return try JSONReply.error(.badRequest, code: error.code, message: error.description)
            case .keyDestroyed, .scopeShredded:
                return try JSONReply.error(.gone, code: error.code, message: error.description)
            }
        } catch let error as KeyWrappingError {
            return try JSONReply.error(.badRequest, code: error.code, message: error.description)
        } catch let error as HTTPError {
            let code = error.status == .notFound ? "not_found" : "bad_request"
            return try JSONReply.error(error.status, code: code, message: error.body ?? error.status.reasonPhrase)
        } catch {
            context.logger.error("custodian request failed", metadata: ["daulat.error": "\(String(reflecting: error))"])
            return try JSONReply.error(
                .internalServerError, code: "internal_error", message: "the custodian failed; it has been logged")
        }
    }
}
