/// Where the agent listener listens, and the names agents dial it by.
public struct AgentListenerSettings: Sendable {
    public var host: String
    public var port: Int
    /// Names and addresses agents dial; the listener's certificate carries all of them.
    public var names: [String]

    public init(host: String, port: Int, names: [String]) {
        self.host = host
        self.port = port
        self.names = names
    }
}
