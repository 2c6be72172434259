/// What `daulat proof … --output json` and `daulat verify --output json` print.
struct ProofResult: Encodable {
    let holds: Bool
    /// Why not, when it does not.
    let reason: String?
}
