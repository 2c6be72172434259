import DaulatCore
import Synchronization

/// What the agent's parts share: its enrolled session (the connection to the control plane, the
/// certificate it serves objects with, where it serves them) and what its blob store has seen.
final class AgentState: Sendable {
    let session: EnrolledSession
    /// Blobs the scrub found corrupted and set aside, not yet reported in an inventory.
    private let corrupted = Mutex<Set<String>>([])
    /// Counts blobs stored or released and reported, so an inventory listed while one changed can be
    /// sent again at once.
    private let blobChanges = Mutex(0)

    init(session: EnrolledSession) {
        self.session = session
    }

    var connection: AgentConnection { session.connection }
    var credentials: AgentCredentials { session.credentials }
    var dataURL: String? { session.url }

    func noteCorrupted(_ sha256: String) {
        corrupted.withLock { _ = $0.insert(sha256) }
    }

    func noteBlobChange() {
        blobChanges.withLock { $0 += 1 }
    }

    var blobChangeCount: Int { blobChanges.withLock { $0 } }

    var hasCorrupted: Bool { corrupted.withLock { !$0.isEmpty } }

    /// The corrupted blobs noted so far, forgetting them: they go into the next inventory.
    func takeCorrupted() -> Set<String> {
        corrupted.withLock { set in
            defer { set = [] }
            return set
        }
    }
}
