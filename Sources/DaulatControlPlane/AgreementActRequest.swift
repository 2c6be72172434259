/// `POST /v1/agreements/{id}/acts`: a party's signed suspension, resumption or termination.
struct AgreementActRequest: Codable, Sendable, StrictlyDecodable {
    static var fields: [String] { ["act"] }

    var act: String
}
