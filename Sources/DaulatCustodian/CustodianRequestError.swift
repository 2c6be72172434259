import HTTPTypes

/// An error the custodian's listener answers with, with a stable code.
struct CustodianRequestError: Error, Sendable {
    let status: HTTPResponse.Status
    let code: String
    let message: String

    init(_ status: HTTPResponse.Status, code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }
}
