import Foundation

/// What agents and the control plane say to each other. Plain values, shared by both ends.
public enum AgentMessages {
    /// `POST /v1/agents/enrol` (public API, no bearer token: the join token is the credential).
    public struct Enrolment: Codable, Sendable {
        public var joinToken: String
        /// A PKCS#10 certificate signing request in PEM, signed by the agent's own new key.
        public var csr: String

        public init(joinToken: String, csr: String) {
            self.joinToken = joinToken
            self.csr = csr
        }
    }

    /// `POST /agent/v1/renew` (agent listener, mutual TLS).
    public struct Renewal: Codable, Sendable {
        public var csr: String

        public init(csr: String) { self.csr = csr }
    }

    /// The answer to an enrolment or a renewal.
    public struct IssuedCertificate: Codable, Sendable {
        /// `spiffe://<trust domain>/site/<site>/host/<host>`.
        public var identity: String
        public var siteID: String
        public var hostID: String
        public var certificate: String
        public var caCertificate: String
        public var notAfter: Date

        public init(
            identity: String, siteID: String, hostID: String, certificate: String, caCertificate: String, notAfter: Date
        ) {
            self.identity = identity
            self.siteID = siteID
            self.hostID = hostID
            self.certificate = certificate
            self.caCertificate = caCertificate
            self.notAfter = notAfter
        }
    }

    /// `POST /agent/v1/heartbeat`.
    public struct Heartbeat: Codable, Sendable {
        public var capacityBytes: Int64
        public var freeBytes: Int64
        /// Where the agent serves objects (https), once it does.
        public var dataURL: String?

        public init(capacityBytes: Int64, freeBytes: Int64, dataURL: String? = nil) {
            self.capacityBytes = capacityBytes
            self.freeBytes = freeBytes
            self.dataURL = dataURL
        }
    }

    /// The answer to an upload: the agent holds this object, checked against its hash.
    public struct StoredCopy: Codable, Sendable {
        public var objectID: String
        public var sha256: String
        public var sizeBytes: Int64

        public init(objectID: String, sha256: String, sizeBytes: Int64) {
            self.objectID = objectID
            self.sha256 = sha256
            self.sizeBytes = sizeBytes
        }
    }

    /// `POST /agent/v1/copies`: the agent now holds this object, checked against its hash, and received
    /// it under `ticket`, the signed ticket it was uploaded or copied with. The ticket is the evidence:
    /// a copy the control plane did not send to this host is never counted on an agent's word.
    public struct CopyReport: Codable, Sendable {
        public var objectID: String
        public var ticket: String

        public init(objectID: String, ticket: String) {
            self.objectID = objectID
            self.ticket = ticket
        }
    }

    /// `POST /agent/v1/transfers`: the agent sent a whole object to another agent under `ticket`, a
    /// download ticket naming that agent's host. Sent before the transfer ends, so that the receiver's
    /// report finds it.
    public struct ServedTransfer: Codable, Sendable {
        public var ticket: String

        public init(ticket: String) { self.ticket = ticket }
    }

    /// The answer to a heartbeat: who the control plane takes the agent to be.
    public struct HeartbeatReceipt: Codable, Sendable {
        public var identity: String
        public var receivedAt: Date

        public init(identity: String, receivedAt: Date) {
            self.identity = identity
            self.receivedAt = receivedAt
        }
    }

    /// `GET /agent/v1/assignments`: the host's ``AssignmentSet``, signed (see `SignedDocument`).
    public struct SignedAssignments: Codable, Sendable {
        public var signed: String

        public init(signed: String) { self.signed = signed }
    }

    /// `POST /agent/v1/refusals`: an assignment the agent will not carry out, and why.
    public struct Refusal: Codable, Sendable {
        public var objectID: String
        public var reason: String

        public init(objectID: String, reason: String) {
            self.objectID = objectID
            self.reason = reason
        }
    }

    /// `POST /agent/v1/releases`: the agent deleted its copy of an object it was told to release.
    public struct Release: Codable, Sendable {
        public var objectID: String

        public init(objectID: String) { self.objectID = objectID }
    }

    /// `POST /agent/v1/inventory`: every object the agent holds, by object id, those its scrub found
    /// corrupted (and set aside) since the last inventory, and the blobs an agent of an earlier version
    /// kept by hash alone, not yet given to an object.
    public struct Inventory: Codable, Sendable {
        public var objects: [String]
        public var corrupt: [String]
        public var legacy: [String]

        public init(objects: [String], corrupt: [String] = [], legacy: [String] = []) {
            self.objects = objects
            self.corrupt = corrupt
            self.legacy = legacy
        }
    }

    /// A blob kept by hash alone that is the copy of an object recorded on this host: the agent files
    /// it under the object.
    public struct Adoption: Codable, Sendable, Equatable {
        public var objectID: String
        public var sha256: String

        public init(objectID: String, sha256: String) {
            self.objectID = objectID
            self.sha256 = sha256
        }
    }

    /// What the control plane made of an inventory.
    public struct InventoryReceipt: Codable, Sendable, Equatable {
        /// Objects whose copy on this host was recorded but is gone (missing or corrupt): forgotten, to
        /// be copied again.
        public var lost: [String]
        /// Objects held here without being recorded: not counted on the agent's word, and flagged; copied
        /// again through a ticket where they are placed here and a counted copy exists.
        public var unverified: [String]
        /// Objects (or blobs kept by hash) that no registered object is: flagged for an operator.
        public var unknown: [String]
        /// Blobs kept by hash alone, to be filed under the objects recorded here.
        public var adopt: [Adoption]

        public init(
            lost: [String], unverified: [String] = [], unknown: [String], adopt: [Adoption] = []
        ) {
            self.lost = lost
            self.unverified = unverified
            self.unknown = unknown
            self.adopt = adopt
        }
    }
}
