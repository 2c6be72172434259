/// The body of every error Daulat answers with, from the control plane and from agents alike:
/// `{"error": {"code": "...", "message": "..."}}`, the code stable for clients to rely on.
public struct ErrorBody: Codable, Sendable {
    public struct Detail: Codable, Sendable {
        public var code: String
        public var message: String
    }

    public var error: Detail

    public init(code: String, message: String) {
        error = Detail(code: code, message: message)
    }
}
