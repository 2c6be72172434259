/// A failure talking to the control plane, with what the control plane said when it said anything.
public struct AgentError: Error, Sendable, CustomStringConvertible {
    public let status: Int?
    public let code: String?
    public let message: String

    public init(status: Int? = nil, code: String? = nil, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public var description: String {
        guard let status else { return message }
        return "\(message) [\(code ?? "error"), HTTP \(status)]"
    }
}
