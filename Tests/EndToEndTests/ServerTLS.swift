import AsyncHTTPClient
import DaulatAgent
import Foundation

extension ServerSetup {
    /// A client for the server's HTTPS API that trusts the authority the server wrote (and the system's
    /// roots), checking the server's name as any client does.
    func httpsClient() throws -> HTTPClient {
        try TrustedRoots.load(URL(fileURLWithPath: authorityFile)).client()
    }
}
