/// A key a daemon's YAML configuration file may hold (dotted, as `server.url` for `server: {url: …}`),
/// and whether its value is a whole number.
struct ConfigurationKey: Hashable, Sendable {
    let name: String
    let isInteger: Bool

    static func text(_ name: String) -> ConfigurationKey { ConfigurationKey(name: name, isInteger: false) }
    static func integer(_ name: String) -> ConfigurationKey { ConfigurationKey(name: name, isInteger: true) }

    /// `daulat agent` and `daulat custodian`.
    static let daemon: [ConfigurationKey] = [
        .text("server.url"), .text("agents.url"), .text("join.token"), .text("data.dir"), .text("ca.cert"),
        .text("charter"),
    ]
    static let custodian: [ConfigurationKey] = daemon + [.text("keystore.key")]
    /// `daulat server`.
    static let server: [ConfigurationKey] = [
        .text("database.url"), .text("http.host"), .integer("http.port"), .text("agents.host"),
        .integer("agents.port"), .text("ca.trustDomain"), .text("ca.key"), .text("metrics.token"),
        .text("http.tlsCertFile"), .text("http.tlsKeyFile"),
    ]
}
