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

-- A join token and a certificate are for a host or for a custodian, never both.
ALTER TABLE join_tokens ALTER COLUMN host_id DROP NOT NULL;
ALTER TABLE join_tokens ADD COLUMN custodian_id TEXT REFERENCES custodians (id);
ALTER TABLE join_tokens ADD CONSTRAINT join_tokens_one_subject CHECK ((host_id IS NULL) <> (custodian_id IS NULL));

ALTER TABLE host_certificates ALTER COLUMN host_id DROP NOT NULL;
ALTER TABLE host_certificates ADD COLUMN custodian_id TEXT REFERENCES custodians (id);
ALTER TABLE host_certificates ADD CONSTRAINT host_certificates_one_subject CHECK ((host_id IS NULL) <> (custodian_id IS NULL));
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
