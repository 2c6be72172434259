import DaulatCore
import Foundation
import Hummingbird
import NIOCore
import NIOFoundationCompat

/// Reads and decodes request bodies with a size limit and Daulat's canonical JSON rules.
enum RequestBody {
    /// No API request needs more; larger bodies are refused before they are read in full.
    static let maximumBytes = 1 << 20

    /// Decodes the body, refusing one over `limit` bytes (`maximumBytes` unless a route needs more).
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int = maximumBytes) async throws
        -> T
    {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIError.bodyTooLarge(limit: limit)
        } catch is NIOTooManyBytesError {
            throw APIError.bodyTooLarge(limit: limit)
        }
        let data = Data(buffer: buffer)
        guard !data.isEmpty else { throw APIError.malformedJSON("a JSON body is required") }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw APIError.malformedJSON("the body is not valid JSON")
        }
        guard parsed is [String: Any] else { throw APIError.malformedJSON("the body must be a JSON object") }
        do {
            return try CanonicalJSON.decoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw RequestDecodingError(underlying: error)
        }
    }
}

/// A request body that did not decode: the client's fault (400), unlike a stored document that does
/// not decode, which is the server's.
struct RequestDecodingError: Error {
    let underlying: DecodingError
}
