import DaulatCore

extension ControlPlaneContext {
    /// Who may hand in `jurisdiction`'s signed word: an operator, who carries it, or that state's own
    /// regulator (any regulator, while the jurisdiction is not yet read from the body). The signature is
    /// what counts; the token only says who brought it.
    func requireRelay(for jurisdiction: JurisdictionCode?) throws -> APIToken {
        let token = try caller()
        let regulatorOfIt = token.role == .regulator && (jurisdiction == nil || token.jurisdiction == jurisdiction)
        guard token.role == .operator || regulatorOfIt else {
            let whose = jurisdiction.map { "\($0)'s" } ?? "a state's"
            throw APIError.forbidden("only an operator or the state's own regulator may hand in \(whose) signature")
        }
        return token
    }
}
