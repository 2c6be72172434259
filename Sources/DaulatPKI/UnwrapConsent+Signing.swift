import DaulatCore

extension UnwrapConsent {
    /// The consent as the owner's member, or the home state's authority for an order, hands it over.
    public func signed(with key: StateSigningKey) throws -> String {
        try StateSignedDocument.sign(self, purpose: Self.signaturePurpose, with: key)
    }
}
