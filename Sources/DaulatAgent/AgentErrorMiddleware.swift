import DaulatCore
import Foundation
import Hummingbird
import NIOCore
import NIOFoundationCompat

/// An error the agent's object server answers with: `{"error": {"code", "message"}}`.
struct AgentRequestError: Error, Sendable {
    let status: HTTPResponse.Status
    let code: String
    let message: String
}

/// Turns the object server's errors into JSON error bodies with stable codes.
struct AgentErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as AgentRequestError {
            return try JSONReply.error(error.status, code: error.code, message: error.message)
        } catch let error as BlobError {
            let status: HTTPResponse.Status =
                switch error {
                case .notFound: .notFound
                case .tooLarge: .contentTooLarge
                case .diskFull: HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage")
                default: .badRequest
                }
            return try JSONReply.error(status, code: error.code, message: error.description)
        } catch let error as HTTPError {
            return try JSONReply.error(
                error.status, code: "bad_request", message: error.body ?? error.status.reasonPhrase)
        } catch {
            context.logger.error("object request failed", metadata: ["daulat.error": "\(String(reflecting: error))"])
            return try JSONReply.error(
                .internalServerError, code: "internal_error", message: "the agent failed; it has been logged")
        }
    }
}
