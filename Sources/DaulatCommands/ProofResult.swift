/// What `daulat proof … --output json` prints.
struct ProofResult: Encodable {
    let holds: Bool
    /// Why not, when it does not.
    let reason: String?
}
