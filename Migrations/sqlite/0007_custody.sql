-- Key custody: custodians (one or more per jurisdiction) enrol like agents, with a one-time join token
-- redeemed for a certificate naming them, and say where they take unwrap requests. Each object's data
-- key is kept only wrapped to custodians' public keys, whole or as shares of a k-of-n split.

CREATE TABLE custodians (
    id TEXT PRIMARY KEY,
    jurisdiction TEXT NOT NULL REFERENCES jurisdictions (code),
    created_at_ms BIGINT NOT NULL
);

CREATE TABLE custodian_heartbeats (
    custodian_id TEXT PRIMARY KEY REFERENCES custodians (id),
    at_ms BIGINT NOT NULL,
    url TEXT NOT NULL
);

-- A join token and a certificate are for a host or for a custodian, never both. SQLite cannot relax a
-- NOT NULL in place: the two tables are rebuilt, keeping their rows.
CREATE TABLE join_tokens_new (
    id TEXT PRIMARY KEY,
    secret_hash TEXT NOT NULL UNIQUE,
    host_id TEXT REFERENCES hosts (id),
    custodian_id TEXT REFERENCES custodians (id),
    created_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    used_at_ms BIGINT,
    CHECK ((host_id IS NULL) <> (custodian_id IS NULL))
);
INSERT INTO join_tokens_new (id, secret_hash, host_id, created_at_ms, expires_at_ms, used_at_ms)
    SELECT id, secret_hash, host_id, created_at_ms, expires_at_ms, used_at_ms FROM join_tokens;
DROP TABLE join_tokens;
ALTER TABLE join_tokens_new RENAME TO join_tokens;

CREATE TABLE host_certificates_new (
    serial TEXT PRIMARY KEY,
    host_id TEXT REFERENCES hosts (id),
    custodian_id TEXT REFERENCES custodians (id),
    issued_at_ms BIGINT NOT NULL,
    not_after_ms BIGINT NOT NULL,
    revoked_at_ms BIGINT,
    CHECK ((host_id IS NULL) <> (custodian_id IS NULL))
);
INSERT INTO host_certificates_new (serial, host_id, issued_at_ms, not_after_ms, revoked_at_ms)
    SELECT serial, host_id, issued_at_ms, not_after_ms, revoked_at_ms FROM host_certificates;
DROP TABLE host_certificates;
ALTER TABLE host_certificates_new RENAME TO host_certificates;
CREATE INDEX host_certificates_host ON host_certificates (host_id);
CREATE INDEX host_certificates_custodian ON host_certificates (custodian_id);

-- One row per wrapped key: a whole data key (share_index 0, threshold 1) or one share of a split.
CREATE TABLE object_keys (
    object_id TEXT NOT NULL REFERENCES objects (id) ON DELETE CASCADE,
    custodian_id TEXT NOT NULL REFERENCES custodians (id),
    share_index INTEGER NOT NULL,
    threshold INTEGER NOT NULL,
    key_id TEXT NOT NULL,
    recipient_key_id TEXT NOT NULL,
    encapsulated_key TEXT NOT NULL,
    ciphertext TEXT NOT NULL,
    PRIMARY KEY (object_id, custodian_id)
);

CREATE INDEX object_keys_recipient ON object_keys (recipient_key_id);
