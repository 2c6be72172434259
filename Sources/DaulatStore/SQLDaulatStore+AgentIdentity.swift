import DaulatCore
import Foundation

extension SQLDaulatStore {
    public func certificateAuthority() async throws -> StoredCertificateAuthority? {
        guard
            let row = try await backend.execute(
                "SELECT trust_domain, certificate_pem, sealed_key, created_at_ms FROM certificate_authority WHERE id = 1"
            ).first
        else { return nil }
        return StoredCertificateAuthority(
            trustDomain: try row.string("trust_domain"),
            certificatePEM: try row.string("certificate_pem"),
            sealedKey: try row.string("sealed_key"),
            createdAt: Date(millisecondsSince1970: try row.integer("created_at_ms"))
        )
    }

    public func establishCertificateAuthority(_ authority: StoredCertificateAuthority, actor: String) async throws
        -> StoredCertificateAuthority
    {
        do {
            try await backend.transaction { executor in
                try await executor.query(
                    """
                    INSERT INTO certificate_authority (id, trust_domain, certificate_pem, sealed_key, created_at_ms)
                    VALUES (1, \(authority.trustDomain), \(authority.certificatePEM), \(authority.sealedKey), \(authority.createdAt.millisecondsSince1970))
                    """
                )
                // The log keeps the certificate (public) and never the sealed key.
                try await self.audit(
                    executor, at: authority.createdAt, actor: actor, action: "certificate_authority.created",
                    kind: "certificate_authority",
                    id: authority.trustDomain, before: nil, after: authority.certificatePEM
                )
            }
        } catch StoreError.conflict {
            // Another control plane created it first; everyone uses that one.
        }
        guard let stored = try await certificateAuthority() else {
            throw StoreError.unavailable("the certificate authority could not be read back")
        }
        return stored
    }

    public func addJoinToken(_ token: JoinToken, actor: String) async throws {
        var redacted = token
        redacted.secretHash = "(redacted)"
        let document = try CanonicalJSON.encode(redacted)
        try await backend.transaction { executor in
            try await Self.requireSubject(token.subject, executor)
            try await executor.query(
                """
                INSERT INTO join_tokens (id, secret_hash, host_id, custodian_id, created_at_ms, expires_at_ms)
                VALUES (\(token.id), \(token.secretHash), \(token.subject.hostID), \(token.subject.custodianID), \(token.createdAt.millisecondsSince1970), \(token.expiresAt.millisecondsSince1970))
                """
            )
            try await self.audit(
                executor, at: token.createdAt, actor: actor, action: "join_token.created", kind: token.subject.kind,
                id: token.subject.id, before: nil, after: document
            )
        }
    }

    public func joinToken(secretHash: String) async throws -> JoinToken? {
        try await backend.execute(
            "SELECT id, host_id, custodian_id, secret_hash, created_at_ms, expires_at_ms, used_at_ms FROM join_tokens WHERE secret_hash = \(secretHash)"
        ).first.map(Self.joinToken(from:))
    }

    public func redeemJoinToken(id: String, issuing certificate: EnrolledCertificate, at time: Date, actor: String)
        async throws
    {
        let document = try CanonicalJSON.encode(certificate)
        let lock = rowLock
        try await backend.transaction { executor in
            guard
                let row = try await executor.query(
                    "SELECT id, host_id, custodian_id, secret_hash, created_at_ms, expires_at_ms, used_at_ms FROM join_tokens WHERE id = \(id)\(unsafeSQL: lock)"
                ).first
            else { throw JoinTokenRefusal.unknown }
            // Decided on the locked row, so two agents racing with one token cannot both enrol.
            if let refusal = try Self.joinToken(from: row).refusal(at: time) { throw refusal }
            try await executor.query(
                "UPDATE join_tokens SET used_at_ms = \(time.millisecondsSince1970) WHERE id = \(id)")
            try await Self.insertCertificate(certificate, executor)
            try await self.audit(
                executor, at: time, actor: actor, action: "\(certificate.subject.kind).enrolled",
                kind: certificate.subject.kind, id: certificate.subject.id,
                before: nil, after: document
            )
        }
    }

    public func addCertificate(_ certificate: EnrolledCertificate, actor: String) async throws {
        let document = try CanonicalJSON.encode(certificate)
        try await backend.transaction { executor in
            try await Self.insertCertificate(certificate, executor)
            try await self.audit(
                executor, at: certificate.issuedAt, actor: actor,
                action: "\(certificate.subject.kind).certificate_renewed",
                kind: certificate.subject.kind, id: certificate.subject.id, before: nil, after: document
            )
        }
    }

    public func certificate(serial: String) async throws -> EnrolledCertificate? {
        try await backend.execute(
            "SELECT serial, host_id, custodian_id, issued_at_ms, not_after_ms, revoked_at_ms FROM host_certificates WHERE serial = \(serial)"
        ).first.map { row in
            EnrolledCertificate(
                serial: try row.string("serial"),
                subject: try Self.subject(row),
                issuedAt: Date(millisecondsSince1970: try row.integer("issued_at_ms")),
                notAfter: Date(millisecondsSince1970: try row.integer("not_after_ms")),
                revokedAt: try row.optionalInteger("revoked_at_ms").map(Date.init(millisecondsSince1970:))
            )
        }
    }

    public func enrolments() async throws -> [EnrolmentSubject: String] {
        var enrolments: [EnrolmentSubject: String] = [:]
        // In the order they were used: a later enrolment of the same subject replaces an earlier one.
        for row in try await backend.execute(
            "SELECT id, host_id, custodian_id FROM join_tokens WHERE used_at_ms IS NOT NULL ORDER BY used_at_ms, id")
        {
            if let host = try row.optionalString("host_id") {
                enrolments[.host(host)] = try row.string("id")
            } else if let custodian = try row.optionalString("custodian_id") {
                enrolments[.custodian(custodian)] = try row.string("id")
            }
        }
        return enrolments
    }

    public func revokedHosts(at time: Date, margin: TimeInterval) async throws -> [String: Date] {
        let since = time.addingTimeInterval(-margin).millisecondsSince1970
        let rows = try await backend.execute(
            """
            SELECT host_id, MAX(revoked_at_ms) AS revoked_at_ms FROM host_certificates \
            WHERE host_id IS NOT NULL AND revoked_at_ms IS NOT NULL AND not_after_ms > \(since) GROUP BY host_id
            """)
        var revoked: [String: Date] = [:]
        for row in rows {
            revoked[try row.string("host_id")] = Date(millisecondsSince1970: try row.integer("revoked_at_ms"))
        }
        return revoked
    }

    @discardableResult
    public func revoke(_ subject: EnrolmentSubject, at time: Date, actor: String) async throws -> Int {
        let column = Self.subjectColumn(subject)
        return try await backend.transaction { executor in
            try await Self.requireSubject(subject, executor)
            let revoked = try await executor.query(
                "SELECT serial FROM host_certificates WHERE \(unsafeSQL: column) = \(subject.id) AND revoked_at_ms IS NULL"
            ).map { try $0.string("serial") }
            try await executor.query(
                "UPDATE host_certificates SET revoked_at_ms = \(time.millisecondsSince1970) WHERE \(unsafeSQL: column) = \(subject.id) AND revoked_at_ms IS NULL"
            )
            // A token issued before the revocation but not yet used would bring it straight back.
            try await executor.query(
                "UPDATE join_tokens SET expires_at_ms = \(time.millisecondsSince1970) WHERE \(unsafeSQL: column) = \(subject.id) AND used_at_ms IS NULL AND expires_at_ms > \(time.millisecondsSince1970)"
            )
            // A revoked custodian can no longer do its work: destructions and rotations it had not done
            // are closed as abandoned, so that a shred does not wait for it.
            var abandoned: [String] = []
            if case .custodian = subject {
                abandoned = try await executor.query(
                    """
                    UPDATE custody_tasks SET done_at_ms = \(time.millisecondsSince1970),
                        outcome = 'abandoned: the custodian was revoked'
                    WHERE custodian_id = \(subject.id) AND done_at_ms IS NULL RETURNING id
                    """
                ).map { try $0.string("id") }
            }
            var record = ["revokedCertificates": revoked.sorted()]
            if !abandoned.isEmpty { record["abandonedTasks"] = abandoned.sorted() }
            try await self.audit(
                executor, at: time, actor: actor, action: "\(subject.kind).revoked", kind: subject.kind, id: subject.id,
                before: nil, after: try CanonicalJSON.encode(record)
            )
            return revoked.count
        }
    }

    public func recordHeartbeat(_ heartbeat: HostHeartbeat) async throws {
        let at = heartbeat.at.millisecondsSince1970
        _ = try await backend.execute(
            """
            INSERT INTO host_heartbeats (host_id, at_ms, capacity_bytes, free_bytes, data_url)
            VALUES (\(heartbeat.hostID), \(at), \(heartbeat.capacityBytes), \(heartbeat.freeBytes), \(heartbeat.dataURL))
            ON CONFLICT (host_id) DO UPDATE SET at_ms = excluded.at_ms, capacity_bytes = excluded.capacity_bytes,
            free_bytes = excluded.free_bytes, data_url = excluded.data_url
            """
        )
    }

    public func heartbeats() async throws -> [HostHeartbeat] {
        try await backend.execute(
            "SELECT host_id, at_ms, capacity_bytes, free_bytes, data_url FROM host_heartbeats ORDER BY host_id"
        ).map {
            row in
            HostHeartbeat(
                hostID: try row.string("host_id"),
                at: Date(millisecondsSince1970: try row.integer("at_ms")),
                capacityBytes: try row.integer("capacity_bytes"),
                freeBytes: try row.integer("free_bytes"),
                dataURL: try row.optionalString("data_url")
            )
        }
    }

    private static func insertCertificate(_ certificate: EnrolledCertificate, _ executor: Backend.Executor)
        async throws
    {
        try await executor.query(
            """
            INSERT INTO host_certificates (serial, host_id, custodian_id, issued_at_ms, not_after_ms)
            VALUES (\(certificate.serial), \(certificate.subject.hostID), \(certificate.subject.custodianID), \(certificate.issuedAt.millisecondsSince1970), \(certificate.notAfter.millisecondsSince1970))
            """
        )
    }

    /// Throws ``StoreError/notFound(kind:id:)`` unless the host or custodian exists.
    private static func requireSubject(_ subject: EnrolmentSubject, _ executor: Backend.Executor) async throws {
        let table = subject.kind == "host" ? "hosts" : "custodians"
        guard try await !executor.query("SELECT id FROM \(unsafeSQL: table) WHERE id = \(subject.id)").isEmpty else {
            throw StoreError.notFound(kind: subject.kind, id: subject.id)
        }
    }

    private static func subjectColumn(_ subject: EnrolmentSubject) -> String {
        subject.kind == "host" ? "host_id" : "custodian_id"
    }

    /// The subject of a `join_tokens` or `host_certificates` row: one of its two columns is set.
    private static func subject(_ row: SQLRow) throws -> EnrolmentSubject {
        if let host = try row.optionalString("host_id") { return .host(host) }
        return .custodian(try row.string("custodian_id"))
    }

    private static func joinToken(from row: SQLRow) throws -> JoinToken {
        JoinToken(
            id: try row.string("id"),
            subject: try subject(row),
            secretHash: try row.string("secret_hash"),
            createdAt: Date(millisecondsSince1970: try row.integer("created_at_ms")),
            expiresAt: Date(millisecondsSince1970: try row.integer("expires_at_ms")),
            usedAt: try row.optionalInteger("used_at_ms").map(Date.init(millisecondsSince1970:))
        )
    }
}
