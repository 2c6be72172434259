import DaulatCore
import Foundation
import Hummingbird
import NIOCore
import NIOFoundationCompat

/// JSON responses of the agents' and custodians' own listeners, errors as `{"error": {"code", "message"}}`.
public enum JSONReply {
    public static func error(_ status: HTTPResponse.Status, code: String, message: String) throws -> Response {
        try json(ErrorBody(code: code, message: message), status: status)
    }

    public static func json(_ value: some Encodable, status: HTTPResponse.Status) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(
            status: status, headers: headers,
            body: .init(byteBuffer: ByteBuffer(data: try CanonicalJSON.encoder().encode(value))))
    }
}
