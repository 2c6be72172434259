import Foundation

/// A new version of an agreement's terms, drafted while the version before it still binds: it changes
/// nothing until every party's authority has signed it, and then replaces that version whole. The
/// parties stay the same; a signature on one version never counts for another.
public struct AgreementAmendment: Hashable, Sendable, Codable {
    /// The terms proposed, at the agreement's next version.
    public var terms: AgreementTerms
    /// Each party's authority signature over ``terms``, base64url, by jurisdiction code.
    public var signatures: [String: String]

    public init(terms: AgreementTerms, signatures: [String: String] = [:]) {
        self.terms = terms
        self.signatures = signatures
    }

    /// The parties whose signature is still missing, sorted.
    public var unsignedParties: [JurisdictionCode] {
        terms.parties.filter { signatures[$0.rawValue] == nil }.sorted()
    }
}
