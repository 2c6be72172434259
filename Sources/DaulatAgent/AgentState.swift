import DaulatCore
import Foundation
import Synchronization

/// What the agent's parts share: its enrolled session (the connection to the control plane, the
/// certificate it serves objects with, where it serves them) and what its blob store has seen.
final class AgentState: Sendable {
    let session: EnrolledSession
    /// Objects whose copy the scrub found corrupted and set aside, not yet reported in an inventory.
    private let corrupted = Mutex<Set<String>>([])
    /// The jurisdiction this host stands in: the one its operator declared, or else the one the last
    /// signed assignment set stated; nil until either is known.
    private let standing: Mutex<JurisdictionCode?>
    /// Counts blobs stored or released and reported, so an inventory listed while one changed can be
    /// sent again at once.
    private let blobChanges = Mutex(0)
    /// Revoked hosts and when, as the last signed assignment set named them.
    private let revoked = Mutex<[String: Date]>([:])

    init(session: EnrolledSession, declaredJurisdiction: JurisdictionCode?) {
        self.session = session
        self.standing = Mutex(declaredJurisdiction)
        self.declaredJurisdiction = declaredJurisdiction
    }

    /// The jurisdiction the host's operator declared for it, if any.
    let declaredJurisdiction: JurisdictionCode?

    /// Where the host stands, for the checks that refuse copies where a dataset may not be.
    var jurisdiction: JurisdictionCode? { standing.withLock { $0 } }

    /// Notes the jurisdiction a signed set states for the host; a declared one is never replaced.
    func noteStatedJurisdiction(_ stated: JurisdictionCode) {
        guard declaredJurisdiction == nil else { return }
        standing.withLock { $0 = stated }
    }

    func noteRevokedHosts(_ hosts: [String: Date]) {
        revoked.withLock { $0 = hosts }
    }

    /// When `hostID` was revoked, if it was.
    func revocation(of hostID: String) -> Date? { revoked.withLock { $0[hostID] } }

    var connection: AgentConnection { session.connection }
    var credentials: AgentCredentials { session.credentials }
    var dataURL: String? { session.url }

    func noteCorrupted(_ objectID: String) {
        corrupted.withLock { _ = $0.insert(objectID) }
    }

    func noteBlobChange() {
        blobChanges.withLock { $0 += 1 }
    }

    var blobChangeCount: Int { blobChanges.withLock { $0 } }

    var hasCorrupted: Bool { corrupted.withLock { !$0.isEmpty } }

    /// The objects whose copies were noted corrupted so far, forgetting them: they go into the next inventory.
    func takeCorrupted() -> Set<String> {
        corrupted.withLock { set in
            defer { set = [] }
            return set
        }
    }
}
