import DaulatCore
import DaulatPKI
import Foundation
import Synchronization

/// What the agent's parts share: its enrolled session (the connection to the control plane, the
/// certificate it serves objects with, where it serves them) and what its blob store has seen.
final class AgentState: Sendable {
    let session: EnrolledSession
    /// Objects whose copy the scrub found corrupted and set aside, not yet reported in an inventory.
    private let corrupted = Mutex<Set<String>>([])
    /// Counts blobs stored or released and reported, so an inventory listed while one changed can be
    /// sent again at once.
    private let blobChanges = Mutex(0)
    /// Revoked hosts and when, as the last signed assignment set named them.
    private let revoked = Mutex<[String: Date]>([:])
    /// The rules as the signed sets brought them, checked with the keys of the charter this host's
    /// state gave it, and never rolled back.
    let rules: PinnedPolicy
    /// The jurisdiction the host's operator declared for it, if any: checked against the states' signed
    /// records, never taken instead of them.
    let declaredJurisdiction: JurisdictionCode?

    init(session: EnrolledSession, declaredJurisdiction: JurisdictionCode?, rules: PinnedPolicy) {
        self.session = session
        self.rules = rules
        self.declaredJurisdiction = declaredJurisdiction
    }

    /// Notes the rules a signed set brings; each agreement in them counts only as its parties'
    /// signatures under the pinned charter make it, and each state's record only if its authority
    /// signed it. Returns a line for each thing kept back that the set would have rolled back.
    func notePolicy(_ bundle: PolicyBundle) throws -> [String] {
        try rules.accept(bundle)
    }

    /// Whether the rules have arrived: until they have, the host says nowhere that it serves objects.
    var knowsRules: Bool { rules.current != nil }

    /// Where this host stands by the records the states signed (nil until the rules arrive); throws
    /// why not when no state's record places it, or not where its operator declared.
    func standing() throws(DomainError) -> HostStanding? {
        guard let policy = rules.current else { return nil }
        guard let host = credentials.identity?.hostID else {
            throw DomainError(.hostNotRecorded, "this agent's certificate names no host")
        }
        return try policy.ground.standing(ofHost: host, declared: declaredJurisdiction)
    }

    /// Why a copy of a dataset at `home` of `classification` may not be stored on this host, standing
    /// where `standing` says, under the classification's rule and the agreements its parties signed — or
    /// nil if it may. The control plane's own word (`allowedStorage`) is checked besides, not instead.
    func signedRulesRefusal(home: JurisdictionCode, classification: String, standing: HostStanding) -> String? {
        guard let policy = rules.current else {
            return "the alliance's rules have not arrived yet"
        }
        let jurisdiction = standing.jurisdiction
        do {
            let verdict = try policy.verdict(
                .storage, in: jurisdiction, home: home, classification: classification, at: Date())
            guard verdict.allowed else {
                return
                    "the rules the states signed do not allow it in \(jurisdiction.rawValue): \(verdict.reason.detail)"
            }
            if verdict.embassyOnly, standing.embassyOf != home {
                return
                    "in \(jurisdiction.rawValue) only at \(home.rawValue)'s data-embassy sites, and the states' records do not make this host's site one"
            }
            return nil
        } catch {
            return "the rules the states signed do not allow it: \(error.message)"
        }
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
