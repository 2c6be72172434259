import Foundation

/// `POST /v1/datasets/{id}/disaster-recovery`.
struct DisasterRecoveryRequest: Codable, Sendable, StrictlyDecodable {
    static var fields: [String] { ["reason", "until"] }

    var reason: String
    /// When the activation ends by itself, unless an operator ends it earlier.
    var until: Date
}
