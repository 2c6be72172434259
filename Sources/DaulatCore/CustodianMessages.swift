import Foundation

/// What custodians and the control plane (and clients) say to each other. Enrolment and renewal are
/// the agents' (``AgentMessages/Enrolment``, ``AgentMessages/Renewal``).
public enum CustodianMessages {
    /// The answer to a custodian's enrolment or renewal.
    public struct IssuedCertificate: Codable, Sendable {
        /// `spiffe://<trust domain>/jurisdiction/<code>/custodian/<id>`.
        public var identity: String
        public var custodianID: String
        public var jurisdiction: JurisdictionCode
        public var certificate: String
        public var caCertificate: String
        public var notAfter: Date

        public init(
            identity: String, custodianID: String, jurisdiction: JurisdictionCode, certificate: String,
            caCertificate: String, notAfter: Date
        ) {
            self.identity = identity
            self.custodianID = custodianID
            self.jurisdiction = jurisdiction
            self.certificate = certificate
            self.caCertificate = caCertificate
            self.notAfter = notAfter
        }
    }

    /// `POST /custodian/v1/heartbeat`: where the custodian takes requests.
    public struct Heartbeat: Codable, Sendable {
        /// Its HTTPS listener (`https://host:port`).
        public var url: String
        /// The Ed25519 key (base64) it signs its dataset keys with, for its state to pin in the record
        /// of its ground.
        public var identityKey: String

        public init(url: String, identityKey: String) {
            self.url = url
            self.identityKey = identityKey
        }
    }

    /// `POST /v1/keys` on a custodian: its current public key for the dataset a signed grant names.
    public struct KeyRequest: Codable, Sendable {
        /// A signed ``KeyGrant`` naming this custodian.
        public var grant: String

        public init(grant: String) { self.grant = grant }
    }

    /// The answer: what to wrap the dataset's data keys to, signed by the custodian's certificate.
    public struct PublicKey: Codable, Sendable {
        /// `<custodian>/<dataset>/v<N>`.
        public var keyID: String
        /// P-256, X9.63, base64.
        public var publicKey: String
        /// Base64 of the custodian's Ed25519 signature over dataset, key id and key, with the identity
        /// key its state's record pins.
        public var signature: String

        public init(keyID: String, publicKey: String, signature: String) {
            self.keyID = keyID
            self.publicKey = publicKey
            self.signature = signature
        }
    }

    /// `POST /v1/unwrap` on a custodian: release this custodian's share of an object's key, as the
    /// control plane's signed decision allows.
    public struct ShareRequest: Codable, Sendable {
        /// A signed ``UnwrapDecision``.
        public var decision: String
        public var objectID: String
        /// The object's key as the control plane keeps it for this custodian.
        public var key: ObjectKey

        public init(decision: String, objectID: String, key: ObjectKey) {
            self.decision = decision
            self.objectID = objectID
            self.key = key
        }
    }

    /// `POST /custodian/v1/releases`'s answer: the sequence number of the audit entry now holding the
    /// release record — the promise the custodian waits for before it answers.
    public struct ReleaseReceipt: Codable, Sendable {
        public var sequence: Int64

        public init(sequence: Int64) { self.sequence = sequence }
    }

    /// The answer: the share wrapped to the requester's one-time key (HPKE, base64 parts).
    public struct Share: Codable, Sendable {
        public var recipientKeyID: String
        public var encapsulatedKey: String
        public var ciphertext: String

        public init(recipientKeyID: String, encapsulatedKey: String, ciphertext: String) {
            self.recipientKeyID = recipientKeyID
            self.encapsulatedKey = encapsulatedKey
            self.ciphertext = ciphertext
        }
    }

    /// The control plane's reply to a custodian's heartbeat: the work it has for it.
    public struct HeartbeatReply: Codable, Sendable {
        public var identity: String
        public var receivedAt: Date
        /// A signed ``CustodyTaskOrder``: an order to destroy keys must come from the control plane, for
        /// this custodian and now, not from whoever sits in between or a reply captured earlier.
        public var tasks: String
        /// The rules and agreements as the control plane holds them; the custodian believes each
        /// agreement only as far as its parties' signatures go.
        public var policy: PolicyBundle

        public init(identity: String, receivedAt: Date, tasks: String, policy: PolicyBundle) {
            self.identity = identity
            self.receivedAt = receivedAt
            self.tasks = tasks
            self.policy = policy
        }
    }

    /// `GET /custodian/v1/tasks/{id}/keys?after=OBJECT` (a page, by object id), and the body of
    /// `POST /custodian/v1/tasks/{id}/rewrapped`: wrapped keys of the task's dataset, this custodian's.
    public struct HeldKeys: Codable, Sendable {
        public var keys: [HeldKey]

        public init(keys: [HeldKey]) { self.keys = keys }
    }

    /// `POST /custodian/v1/tasks/{id}/retire`: no new key of the task's dataset may name a version of
    /// this custodian older than `keepFrom`; refused (409) while one still does.
    public struct Retirement: Codable, Sendable {
        public var keepFrom: Int

        public init(keepFrom: Int) { self.keepFrom = keepFrom }
    }

    /// `POST /custodian/v1/tasks/{id}/done`: what was done.
    public struct TaskDone: Codable, Sendable {
        /// The key versions destroyed, for the audit log.
        public var destroyedVersions: [Int]
        /// After a rotation, the version every wrapped key now names.
        public var currentVersion: Int?

        public init(destroyedVersions: [Int], currentVersion: Int? = nil) {
            self.destroyedVersions = destroyedVersions
            self.currentVersion = currentVersion
        }
    }
}
