import DaulatCore
import Foundation

extension StateSigningKey {
    /// A witness's C2SP cosignature of `checkpoint` as `name`, stating `time`: that as of then this is
    /// the largest consistent head it has seen of the log.
    public func cosignature(of checkpoint: Checkpoint, as name: String, at time: Date) throws -> SignedNote.Signature {
        let seconds = UInt64(max(0, time.timeIntervalSince1970.rounded(.down)))
        let signature = try signature(for: NoteKey.cosignedMessage(checkpoint.text, time: seconds))
        let stamp = (0..<8).reversed().map { UInt8(truncatingIfNeeded: seconds >> (8 * UInt64($0))) }
        return SignedNote.Signature(
            name: name, keyID: NoteKey(name: name, type: NoteKey.cosignature, publicKey: publicKey.key).keyID,
            signature: stamp + [UInt8](signature))
    }
}
