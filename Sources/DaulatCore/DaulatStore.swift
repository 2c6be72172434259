import Foundation

/// Everything the control plane keeps. Every change is recorded in the audit log in the same transaction
/// as the change, attributed to `actor`; if the audit entry cannot be written, the change does not happen.
public protocol DaulatStore: Sendable {
    // MARK: Alliance and topology

    func alliance() async throws -> Alliance
    func topology() async throws -> Topology
    func addJurisdiction(_ jurisdiction: Jurisdiction, actor: String) async throws
    func addGroup(_ group: JurisdictionGroup, actor: String) async throws
    func addClassification(_ classification: Classification, actor: String) async throws
    func addSite(_ site: Site, actor: String) async throws
    /// Creates the host or replaces it (an operator's change of capacity or status).
    func putHost(_ host: StorageHost, actor: String) async throws
    /// Changes a host's status to `status` only if it is still `expected`, decided inside the
    /// transaction; whether it changed. For changes decided from a reading that may be stale (the
    /// heartbeat watch), so that an operator's change in between (a drain) is never overwritten.
    func changeHostStatus(hostID: String, from expected: HostStatus, to status: HostStatus, actor: String)
        async throws -> Bool

    /// A number that changes whenever the alliance's rules, topology or agreements change, so callers
    /// can cache what they derive from them.
    func catalogVersion() async throws -> Int64

    // MARK: Agreements

    func agreements() async throws -> [Agreement]
    func agreement(id: String) async throws -> Agreement?
    func addAgreement(_ agreement: Agreement, actor: String) async throws
    /// Replaces an agreement by what `change` makes of the stored record, decided on that record inside
    /// the transaction, so two changes at once cannot both start from the same one; `change` also names
    /// the audit action. Throws ``StoreError/notFound(kind:id:)`` if absent, and whatever `change`
    /// throws, having written nothing.
    @discardableResult
    func updateAgreement(
        id: String, actor: String, _ change: @Sendable (Agreement) throws -> (agreement: Agreement, action: String)
    ) async throws -> Agreement

    // MARK: Datasets and their placement

    /// Registers a dataset with the placement planned for it at catalog version `plannedAtCatalogVersion`.
    /// Throws ``StoreError/catalogChanged`` and writes nothing if the catalog has moved since; returns the
    /// earlier creation when `idempotency` names a key already used for the same request.
    @discardableResult
    func createDataset(
        _ dataset: Dataset,
        placement: Placement,
        plannedAtCatalogVersion: Int64,
        idempotency: IdempotencyClaim?,
        actor: String
    ) async throws -> DatasetCreation
    func dataset(id: String) async throws -> Dataset?
    func datasets(_ query: DatasetQuery) async throws -> DatasetPage
    func updateDataset(_ dataset: Dataset, placement: Placement, actor: String) async throws
    func deleteDataset(id: String, actor: String) async throws
    func placement(datasetID: String) async throws -> Placement?
    /// Records a placement recomputed from `dataset`. Returns false, and records nothing, when the
    /// outcome is unchanged or the dataset has changed since it was read (its own change re-planned it).
    @discardableResult
    func savePlacement(_ placement: Placement, basedOn dataset: Dataset, actor: String) async throws -> Bool

    // MARK: Tokens

    func addToken(_ token: APIToken, actor: String) async throws
    /// The token with this secret hash, live or not: callers judge ``APIToken/isLive(at:)``.
    func token(secretHash: String) async throws -> APIToken?
    func token(id: String) async throws -> APIToken?
    /// Every token, oldest first.
    func tokens() async throws -> [APIToken]
    /// Whether a token of `role` is live (unexpired, unrevoked) at `time`.
    func hasLiveToken(role: Role, at time: Date) async throws -> Bool
    /// Revokes a token at `time` (audited as `token.revoked`); a token revoked already is left as it was.
    func revokeToken(id: String, at time: Date, actor: String) async throws -> APIToken
    /// Stores `successor` and has token `id` expire by `graceUntil`, naming its successor, in one
    /// transaction (audited as `token.created` and `token.rotated`). Refused (`token_not_live`) for a
    /// token revoked or expired already. Returns the rotated token.
    func rotateToken(id: String, successor: APIToken, graceUntil: Date, actor: String) async throws -> APIToken
    /// Notes that a request came with token `id` at `time` (not audited: listings show it).
    func noteTokenUse(id: String, at time: Date) async throws
    /// Marks a dashboard login link used; false if it was used before. Links are forgotten once expired.
    func claimDashboardLink(nonce: String, expiresAt: Date, at time: Date) async throws -> Bool

    // MARK: Agent identity

    /// The signed alliance charter's text, once one is stored.
    func allianceCharter() async throws -> String?
    /// Stores the signed charter unless one exists (audited as `alliance.charter_established`), and
    /// returns the one stored: a charter once established is replaced only by a ceremony its states sign.
    func establishAllianceCharter(_ signedText: String, at time: Date, actor: String) async throws -> String
    /// Each state's record of its ground (``JurisdictionRecord``), as the text its authority signed.
    func jurisdictionRecords() async throws -> [JurisdictionCode: String]
    /// Stores `signedText`, a checked record of `jurisdiction` at `version`, in place of the one before,
    /// audited as `jurisdiction.record_signed`; `StoreError.conflict` if that version or a later one is
    /// stored already, so an old record is never played back.
    func saveJurisdictionRecord(
        _ signedText: String, jurisdiction: JurisdictionCode, version: Int, at time: Date, actor: String
    ) async throws

    /// The latest version of the alliance's rules every state has signed, if any.
    func allianceRulesInForce() async throws -> SignedAllianceRules?
    /// The highest version of the alliance's rules stored, signed by every state or not yet.
    func latestAllianceRules() async throws -> SignedAllianceRules?
    /// Applies `change` to the stored version `version` (nil if there is none) in one transaction, and
    /// stores what it returns, marked in force or not, audited as its action.
    func updateAllianceRules(
        version: Int, at time: Date, actor: String,
        _ change: @Sendable (SignedAllianceRules?) throws -> (rules: SignedAllianceRules, inForce: Bool, action: String)
    ) async throws -> SignedAllianceRules

    func certificateAuthority() async throws -> StoredCertificateAuthority?
    /// Stores `authority` unless one exists, and returns the one stored: when two control planes start
    /// at once on an empty database, both end up with the same authority.
    func establishCertificateAuthority(_ authority: StoredCertificateAuthority, actor: String) async throws
        -> StoredCertificateAuthority
    /// Throws ``StoreError/notFound(kind:id:)`` if the host or custodian does not exist.
    func addJoinToken(_ token: JoinToken, actor: String) async throws
    func joinToken(secretHash: String) async throws -> JoinToken?
    /// Marks the token used and records the certificate issued with it, in one transaction; throws
    /// ``JoinTokenRefusal`` if the token was used or expired in the meantime.
    func redeemJoinToken(id: String, issuing certificate: EnrolledCertificate, at time: Date, actor: String)
        async throws
    /// Records a certificate issued to a host or custodian already enrolled (a renewal).
    func addCertificate(_ certificate: EnrolledCertificate, actor: String) async throws
    func certificate(serial: String) async throws -> EnrolledCertificate?
    /// Revokes every certificate issued to the host or custodian so far, and expires its unused join
    /// tokens; returns how many certificates. Throws
    /// ``StoreError/notFound(kind:id:)`` if it does not exist.
    @discardableResult
    func revoke(_ subject: EnrolmentSubject, at time: Date, actor: String) async throws -> Int
    /// Hosts with a revoked certificate that a peer could still be shown (unexpired at `time`, or within
    /// `margin` of it), each with its latest revocation.
    func revokedHosts(at time: Date, margin: TimeInterval) async throws -> [String: Date]
    /// For each host and custodian that has enrolled, the id of the join token it last enrolled with:
    /// its current enrolment, which its certificates' peer names carry.
    func enrolments() async throws -> [EnrolmentSubject: String]
    /// Keeps the latest heartbeat of a host. Not audited: it reports state, it changes nothing.
    func recordHeartbeat(_ heartbeat: HostHeartbeat) async throws
    func heartbeats() async throws -> [HostHeartbeat]

    // MARK: Custodians

    /// Throws ``StoreError/conflict`` if the id is taken.
    func addCustodian(_ custodian: Custodian, actor: String) async throws
    func custodians() async throws -> [Custodian]
    /// Keeps the identity key a custodian says it signs its dataset keys with, audited as
    /// `custodian.identity_key_reported` when it changes. It binds nothing until the custodian's state
    /// signs a record pinning it. Throws ``StoreError/notFound(kind:id:)`` for an unknown custodian.
    func recordCustodianIdentityKey(_ key: String, custodianID: String, at time: Date, actor: String) async throws
    /// Keeps the latest heartbeat of a custodian. Not audited: it reports state, it changes nothing.
    func recordCustodianHeartbeat(_ heartbeat: CustodianHeartbeat) async throws
    func custodianHeartbeats() async throws -> [CustodianHeartbeat]
    /// Records an unwrap request and what was decided, in the audit log only.
    /// Appends a custodian's signed release record to the audit log (`key.released`, subject the
    /// object) once committed; returns its entry's sequence number.
    func recordKeyRelease(_ release: SignedKeyRelease, at time: Date, actor: String) async throws -> Int64
    func recordKeyUse(_ use: KeyUse, at time: Date, actor: String) async throws
    /// Records a declaration, audited as `dataset.disaster_recovery_declared`. Throws
    /// ``StoreError/notFound(kind:id:)`` for an unknown dataset and ``StoreError/conflict(_:)`` when one is
    /// already in force at its declaration time.
    func declareDisasterRecovery(_ activation: DisasterRecoveryActivation, actor: String) async throws
    /// Ends the activation of the dataset in force at `time`, audited as `dataset.disaster_recovery_ended`,
    /// and returns it ended. Throws ``StoreError/notFound(kind:id:)`` when none is in force.
    func endDisasterRecovery(datasetID: String, at time: Date, actor: String) async throws
        -> DisasterRecoveryActivation
    /// Every activation declared for the dataset, latest first.
    func disasterRecoveryActivations(datasetID: String) async throws -> [DisasterRecoveryActivation]

    // MARK: Shredding and rotation

    /// Records a shred request, audited as `dataset.shred_requested`. Throws
    /// ``StoreError/notFound(kind:id:)`` for an unknown dataset and ``StoreError/conflict(_:)`` when one
    /// is pending or executing.
    func requestShred(_ shred: DatasetShred, actor: String) async throws
    /// Cancels the dataset's pending shred, audited as `dataset.shred_cancelled`. Throws
    /// ``StoreError/notFound(kind:id:)`` when none is pending and ``StoreError/conflict(_:)`` when it has
    /// already executed.
    func cancelShred(datasetID: String, at time: Date, actor: String) async throws -> DatasetShred
    /// The dataset's shreds, latest first.
    func shreds(datasetID: String) async throws -> [DatasetShred]
    /// Shreds pending or executing, oldest first.
    func activeShreds() async throws -> [DatasetShred]
    /// Executes a pending shred: drops the dataset's wrapped keys and placement, closes rotations of its
    /// keys, and gives every enrolled custodian that held one of them a task to destroy them, audited as
    /// `dataset.shredded`. Nil when the shred is no longer pending (cancelled, or executed by another).
    func executeShred(id: String, at time: Date, actor: String) async throws -> DatasetShred?
    /// Completes an executing shred once every custodian has destroyed its keys and no copy is left on
    /// a host whose agent reports (those on hosts out of reach are named): deletes the dataset, audited
    /// as `dataset.shred_completed`. Whether it completed.
    func completeShred(id: String, at time: Date, actor: String) async throws -> Bool
    /// Gives a custodian a task to rotate its key for a dataset, audited as `custodian.rotation_requested`.
    /// Throws ``StoreError/notFound(kind:id:)`` for an unknown custodian or dataset,
    /// ``StoreError/refused(code:message:)`` when the dataset is being shredded or the custodian holds none
    /// of its keys, and ``StoreError/conflict(_:)`` when one is open for the same custodian and dataset.
    func requestRotation(_ task: CustodyTask, actor: String) async throws
    func custodyTasks(custodianID: String, openOnly: Bool) async throws -> [CustodyTask]
    func custodyTasks(datasetID: String) async throws -> [CustodyTask]
    /// Marks the custodian's task done with what it reported, audited as `custodian.keys_destroyed` or
    /// `custodian.key_rotated`. Throws ``StoreError/notFound(kind:id:)`` for a task not the custodian's.
    func finishCustodyTask(id: String, custodianID: String, outcome: String, at time: Date) async throws
        -> CustodyTask
    /// The data keys of the dataset's objects wrapped to the custodian, by object id, from after `after`.
    func heldKeys(custodianID: String, datasetID: String, after: String?, limit: Int) async throws -> [HeldKey]
    /// Replaces the custodian's wrapped keys of those objects (same data key, newer key version), audited
    /// as `object.keys_rewrapped`. Throws ``StoreError/notFound(kind:id:)`` for an object of another
    /// dataset or one the custodian holds no key of.
    func replaceHeldKeys(_ keys: [HeldKey], custodianID: String, datasetID: String, at time: Date) async throws
    /// From now on, keys of the dataset may be wrapped to the custodian's versions `version` and newer
    /// only (a new object naming an older one is refused, `key_version_retired`), audited as
    /// `custodian.key_versions_retired`. Throws ``StoreError/refused(code:message:)`` while any wrapped key
    /// still names an older version. Never lowers; nothing to do when no key is wrapped to the custodian.
    func retireKeyVersions(custodianID: String, datasetID: String, below version: Int, at time: Date) async throws

    // MARK: Audit tree

    /// How many entries the audit log holds.
    func auditLogSize() async throws -> Int64
    func auditLogKey() async throws -> StoredAuditLogKey?
    /// Keeps `key` unless one is kept already (audited as `audit_log.key_created`), and returns the one
    /// kept: control planes starting together agree on one.
    func establishAuditLogKey(_ key: StoredAuditLogKey) async throws -> StoredAuditLogKey
    /// Keeps a signed tree head, and returns the head kept for its size: one already kept stays.
    func addTreeHead(_ head: SignedTreeHead) async throws -> SignedTreeHead
    func latestTreeHead() async throws -> SignedTreeHead?
    func treeHead(size: Int64) async throws -> SignedTreeHead?
    /// Keeps a witness's cosignature; false (and nothing changed) if that witness cosigned that size before.
    func addCosignature(_ cosignature: StoredCosignature) async throws -> Bool
    /// Every cosignature kept of the checkpoint of `size`.
    func cosignatures(size: Int64) async throws -> [StoredCosignature]
    /// Each witness's largest cosigned checkpoint.
    func latestCosignatures() async throws -> [StoredCosignature]

    // MARK: Objects

    /// Registers an object of a dataset with its data key, wrapped to custodians, before any copy exists.
    /// Throws ``StoreError/notFound(kind:id:)`` if the dataset or a custodian does not exist, and
    /// ``StoreError/conflict`` if the object id is taken.
    func addObject(_ object: StoredObject, keys: [ObjectKey], actor: String) async throws
    /// When each copy recorded since `since` was stored, and its size: how fast copies are made lately.
    func copiesStored(since: Date) async throws -> [(at: Date, sizeBytes: Int64)]
    /// The wrapped keys of an object, by custodian.
    func objectKeys(objectID: String) async throws -> [ObjectKey]
    func object(id: String) async throws -> StoredObject?
    func objects(datasetID: String) async throws -> [StoredObject]
    /// Objects of which `hostID` holds a verified copy.
    func objects(heldBy hostID: String) async throws -> [StoredObject]
    /// Every verified copy on one of `hostIDs` or of a dataset at home in `home`, in no particular
    /// order, handed to `body` `batchSize` at a time; `body` is awaited before more are read, so a
    /// report of any size is written out as it is read. The caller names the hosts from the topology it
    /// judges the copies by, so that what is read and how it is judged cannot disagree.
    func copies(
        onHosts hostIDs: [String], orOfDatasetsAt home: JurisdictionCode, batchSize: Int,
        _ body: ([CopyHolding]) async throws -> Void
    ) async throws
    /// The datasets among `ids` that exist, in no particular order.
    func datasets(ids: [String]) async throws -> [Dataset]
    /// Forgets `hostID`'s copy of the object (its agent deleted it), with an audit entry; an open
    /// evacuation of that copy ends in the same transaction.
    func releaseCopy(objectID: String, hostID: String, at time: Date, actor: String) async throws
    /// Forgets a copy its host no longer has without a release it was offered: audited as
    /// `object.copy_lost` with `reason`; an open evacuation of it ends as lost, never as met.
    func loseCopy(objectID: String, hostID: String, reason: String, at time: Date, actor: String) async throws
    /// The datasets whose desired placement includes `hostID`, by id.
    func datasets(placedOn hostID: String) async throws -> [Dataset]
    /// The objects of the datasets whose desired placement includes `hostID`, each with its holders.
    func objects(placedOn hostID: String) async throws -> [StoredObject]
    /// For every dataset of which `hostID` holds a copy, the hosts it is placed on (none: absent).
    func placedHosts(ofDatasetsHeldBy hostID: String) async throws -> [String: [String]]
    /// Records, in the audit log, that an agent refused an assignment and why.
    func recordRefusal(hostID: String, objectID: String, reason: String, at time: Date) async throws
    /// Records that `hostID` holds a copy of the object, on `evidence`: the ticket it came with, used for
    /// this one copy only, and for a copy between agents the sender's report of the transfer (used up).
    /// The same report again changes nothing. Throws ``StoreError/notFound(kind:id:)`` for an unknown
    /// object, ``StoreError/conflict(_:)`` if `sha256` or `sizeBytes` is not the object's, and
    /// ``StoreError/refused(code:message:)`` (`ticket_replayed`, `transfer_unconfirmed`) when the
    /// evidence does not hold; nothing is recorded then.
    func recordCopy(
        objectID: String, sha256: String, sizeBytes: Int64, hostID: String, evidence: CopyEvidence, at time: Date,
        actor: String
    ) async throws
    /// Records that the agent of `sender` sent the whole object to `recipient` under the download ticket
    /// `ticket` (its nonce), for the recipient's report of the copy to find.
    func recordTransfer(ticket: String, objectID: String, sender: String, recipient: String, at time: Date)
        async throws

    /// Brings the host's recorded copies in line with the objects its agent reports holding: copies
    /// recorded but absent are forgotten (`object.copy_lost`, as missing or as `corrupt`) unless a blob
    /// kept by hash alone (`legacy`) is theirs, to be filed under them (`adopt`); objects held but not
    /// recorded are never counted on the agent's word (`unverified`): they and ids of no object are
    /// flagged, in one `blob.flagged` entry per inventory, until they are gone. One transaction.
    func reconcileInventory(
        hostID: String, objects: Set<String>, corrupt: Set<String>, legacy: Set<String>, at time: Date
    ) async throws -> AgentMessages.InventoryReceipt
    func flaggedBlobs() async throws -> [FlaggedBlob]

    // MARK: Evacuations

    /// The copies placements want that no host holds yet, and when the oldest of their objects was
    /// registered: how far replication is behind.
    func missingCopies() async throws -> (count: Int, oldestObject: Date?)
    /// Every verified copy, with its object's dataset, in no particular order, handed to `body`
    /// `batchSize` at a time; `body` is awaited before more are read.
    func copyHoldings(batchSize: Int, _ body: ([CopyHolding]) async throws -> Void) async throws
    func evacuations(_ query: EvacuationQuery) async throws -> [Evacuation]
    func evacuation(id: String) async throws -> Evacuation?
    /// Records one step of an evacuation with its audit entry (`evacuation.<event>`). A started one is
    /// inserted unless its copy already has an open evacuation; any other step is written only while the
    /// evacuation is open. Returns false when nothing was written for those reasons.
    @discardableResult
    func recordEvacuation(_ change: EvacuationChange, actor: String) async throws -> Bool

    // MARK: Leadership

    /// Runs `body` while this process leads the control planes sharing this store, waiting (and
    /// retrying) until it may. On PostgreSQL leadership is a session advisory lock held on a connection
    /// kept for the purpose, so it passes to another process as soon as this one dies; an embedded
    /// store has one process, which always leads. Throws ``StoreError/unavailable(_:)`` when
    /// leadership is lost; the caller decides whether to seek it again.
    func whileLeading(_ body: @escaping @Sendable () async throws -> Void) async throws

    // MARK: Audit

    func auditEntries(after sequence: Int64, limit: Int) async throws -> [AuditEntry]
    /// Where the entry numbered `sequence` stands in the log, from 0: how many entries come before it.
    func auditPosition(sequence: Int64) async throws -> Int64
    /// The entries about one subject (`dataset`, `ds-…`) recorded at or before `until`, in log order.
    func auditEntries(subjectKind: String, subjectID: String, until: Date) async throws -> [AuditEntry]
    /// Confirms the database answers; throws ``StoreError/unavailable(_:)`` if not.
    func checkReachable() async throws
}
