import DaulatCore
import Foundation

/// How a state's authority signs the record of its ground, and how anyone checks one against the key
/// the charter pins for the state the record is about: only that state can say what stands in it.
public enum JurisdictionRecordSignatures {
    public static func sign(_ record: JurisdictionRecord, with key: StateSigningKey) throws -> String {
        try StateSignedDocument.sign(record, purpose: JurisdictionRecord.signaturePurpose, with: key)
    }

    /// The record in `text`, if the authority of the jurisdiction it is about signed it and it is
    /// well formed.
    public static func verify(_ text: String, under charter: AllianceCharter) throws(JurisdictionRecordError)
        -> JurisdictionRecord
    {
        guard let claimed = claimed(text) else { throw .malformed }
        guard let key = charter.key(of: claimed.jurisdiction) else {
            throw .notChartered(claimed.jurisdiction.rawValue)
        }
        let record: JurisdictionRecord
        do {
            record = try StateSignedDocument.verify(
                text, as: JurisdictionRecord.self, purpose: JurisdictionRecord.signaturePurpose, key: key)
        } catch {
            throw .badSignature(claimed.jurisdiction.rawValue)
        }
        do {
            try record.validate()
        } catch {
            throw .invalid(error.message)
        }
        return record
    }

    /// What `text` says, without checking who signed it: for showing a record the control plane
    /// checked when it was handed in, never for acting on one.
    public static func claimed(_ text: String) -> JurisdictionRecord? {
        StateSignedDocument.claimed(text, as: JurisdictionRecord.self)
    }

    /// The ground the records in `texts` describe, each kept only if its state's authority signed it.
    public static func ground(_ texts: [String], under charter: AllianceCharter) -> RecordedGround {
        RecordedGround(texts.compactMap { try? verify($0, under: charter) })
    }
}
