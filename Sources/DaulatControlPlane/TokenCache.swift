import DaulatCore
import Synchronization

/// Tokens recently found in the store, by secret hash, so that a client's requests cost a database
/// round trip a second, not one each. Only live tokens are kept, and each for ``lifetime`` at most: a
/// token revoked through any control plane stops working on every one within that time (at once on the
/// one that revoked it, which forgets it).
final class TokenCache: Sendable {
    static let lifetime: Duration = .seconds(1)
    /// Beyond this many entries the cache starts over rather than grow without bound.
    static let capacity = 10_000

    private struct Entry {
        let token: APIToken
        let expires: ContinuousClock.Instant
    }

    private let entries = Mutex<[String: Entry]>([:])

    func token(secretHash: String, now: ContinuousClock.Instant = .now) -> APIToken? {
        entries.withLock { entries in
            guard let entry = entries[secretHash] else { return nil }
            guard entry.expires > now else {
                entries[secretHash] = nil
                return nil
            }
            return entry.token
        }
    }

    func forget(_ secretHash: String) {
        _ = entries.withLock { $0.removeValue(forKey: secretHash) }
    }

    func remember(_ token: APIToken, now: ContinuousClock.Instant = .now) {
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[token.secretHash] = Entry(token: token, expires: now + Self.lifetime)
        }
    }
}
