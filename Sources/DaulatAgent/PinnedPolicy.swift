import DaulatCore
import DaulatFiles
import DaulatPKI
import Foundation
import Synchronization

/// The rules an agent or a custodian acts on: each bundle the control plane sends, merged over the
/// last one accepted (``PolicyBundleMerge``) and kept in the host's data directory, so that neither a
/// control plane playing old signatures back nor a restart rolls back what the states signed.
public final class PinnedPolicy: Sendable {
    public let charter: AllianceCharter
    /// Where the accepted bundle is kept; nil keeps it in memory only.
    let file: URL?
    private let accepted: Mutex<(bundle: PolicyBundle, policy: SignedPolicy)?>
    /// The last bundle offered and what taking it kept back: heartbeats mostly repeat the same bundle,
    /// and checking its signatures again would find the same.
    private let lastOffered = Mutex<(bundle: PolicyBundle, keptBack: [String])?>(nil)

    /// Opens the bundle kept in `file` from an earlier run, if there is one.
    public init(charter: AllianceCharter, file: URL?) throws {
        self.charter = charter
        self.file = file
        var kept: (PolicyBundle, SignedPolicy)?
        if let file, let data = try DurableFile.readPrivate(file) {
            do {
                let bundle = try CanonicalJSON.decoder().decode(PolicyBundle.self, from: data)
                kept = (bundle, SignedPolicy(bundle, charter: charter))
            } catch {
                throw AgentError(
                    message:
                        "\(file.path) does not hold the rules this host accepted before (\(error)); move it aside to start again from the control plane's"
                )
            }
        }
        accepted = Mutex(kept)
    }

    /// The rules in force here, nil until the first bundle arrives.
    public var current: SignedPolicy? { accepted.withLock { $0?.policy } }

    /// Takes `bundle` over the one accepted before, keeping back what it would roll back; returns a line
    /// for each thing kept back.
    @discardableResult
    public func accept(_ bundle: PolicyBundle) throws -> [String] {
        if let last = lastOffered.withLock({ $0 }), last.bundle == bundle { return last.keptBack }
        let keptBack = try merge(bundle)
        lastOffered.withLock { $0 = (bundle, keptBack) }
        return keptBack
    }

    private func merge(_ bundle: PolicyBundle) throws -> [String] {
        try accepted.withLock { accepted in
            var merged = bundle
            var keptBack: [String] = []
            if let previous = accepted?.bundle {
                (merged, keptBack) = PolicyBundleMerge.merged(bundle, after: previous, under: charter)
                if merged == previous { return keptBack }
            }
            if let file { try DurableFile.write(try CanonicalJSON.encoder().encode(merged), to: file) }
            accepted = (merged, SignedPolicy(merged, charter: charter))
            return keptBack
        }
    }
}
