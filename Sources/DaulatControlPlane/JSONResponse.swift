import DaulatCore
import Foundation
import Hummingbird
import NIOFoundationCompat

/// Responses in canonical JSON.
enum JSONResponse {
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try CanonicalJSON.encoder().encode(value)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(data: data)))
    }
}

/// Responses of text other than JSON: reports as CSV and pages as HTML. A page may load nothing and run
/// nothing; none is kept by a cache.
enum TextResponse {
    static func make(_ body: String, type: String) -> Response {
        make(.init(byteBuffer: ByteBuffer(string: body)), type: type)
    }

    /// A body written as it is produced, for text too large to hold.
    static func make(_ body: ResponseBody, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        // Nothing loaded, nothing run, and never inside another site's frame (no clickjacking).
        headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: body)
    }
}
