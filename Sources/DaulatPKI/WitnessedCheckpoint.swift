import DaulatCore
import Foundation

/// A checkpoint whose log signature verified, and the witnesses whose cosignatures did, with the time
/// each states.
public struct WitnessedCheckpoint: Sendable, Equatable {
    public let checkpoint: Checkpoint
    public let cosigners: [JurisdictionCode: Date]

    /// Checks a checkpoint note: the log's signature (`logKey`, named as the origin) must be there and
    /// verify; each line of a known witness must verify too (a bad one rejects the note); lines of
    /// keys not listed are ignored, as c2sp.org/signed-note requires.
    public static func verify(_ note: String, logKey: NoteKey, witnesses: [JurisdictionCode: NoteKey])
        throws(NoteError) -> WitnessedCheckpoint
    {
        let parsed = try SignedNote(parsing: note)
        guard let checkpoint = Checkpoint(text: parsed.text), checkpoint.origin == logKey.name else {
            throw .notACheckpoint
        }
        let logLines = logKey.lines(in: parsed)
        guard !logLines.isEmpty, logLines.allSatisfy({ logKey.verifies($0, over: parsed.text) }) else {
            throw .logSignature
        }
        var cosigners: [JurisdictionCode: Date] = [:]
        for (jurisdiction, key) in witnesses {
            for line in key.lines(in: parsed) {
                guard let time = key.cosignedAt(line, over: parsed.text) else {
                    throw .cosignatureInvalid(key.name)
                }
                cosigners[jurisdiction] = time
            }
        }
        return WitnessedCheckpoint(checkpoint: checkpoint, cosigners: cosigners)
    }
}
