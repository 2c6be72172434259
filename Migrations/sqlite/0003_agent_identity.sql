-- The agents' identity: the built-in certificate authority (its private key sealed with a key the
-- database never sees), one-time join tokens bound to a host, every certificate issued to a host
-- (so a revoked host's certificates are refused), and the last heartbeat of each host.

CREATE TABLE certificate_authority (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    trust_domain TEXT NOT NULL,
    certificate_pem TEXT NOT NULL,
    sealed_key TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL
);

CREATE TABLE join_tokens (
    id TEXT PRIMARY KEY,
    secret_hash TEXT NOT NULL UNIQUE,
    host_id TEXT NOT NULL REFERENCES hosts (id),
    created_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    used_at_ms BIGINT
);

CREATE TABLE host_certificates (
    serial TEXT PRIMARY KEY,
    host_id TEXT NOT NULL REFERENCES hosts (id),
    issued_at_ms BIGINT NOT NULL,
    not_after_ms BIGINT NOT NULL,
    revoked_at_ms BIGINT
);

CREATE INDEX host_certificates_host ON host_certificates (host_id);

CREATE TABLE host_heartbeats (
    host_id TEXT PRIMARY KEY REFERENCES hosts (id),
    at_ms BIGINT NOT NULL,
    capacity_bytes BIGINT NOT NULL,
    free_bytes BIGINT NOT NULL
);
