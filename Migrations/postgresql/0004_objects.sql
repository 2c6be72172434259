-- Objects: the encrypted files a dataset is made of, each named by the SHA-256 of its bytes, and the
-- hosts that hold a verified copy. Agents also say where they serve objects.

CREATE TABLE objects (
    id TEXT PRIMARY KEY,
    dataset_id TEXT NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
    sha256 TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    created_at_ms BIGINT NOT NULL
);

CREATE INDEX objects_dataset ON objects (dataset_id);

CREATE TABLE object_copies (
    object_id TEXT NOT NULL REFERENCES objects (id) ON DELETE CASCADE,
    host_id TEXT NOT NULL REFERENCES hosts (id),
    stored_at_ms BIGINT NOT NULL,
    PRIMARY KEY (object_id, host_id)
);

ALTER TABLE host_heartbeats ADD COLUMN data_url TEXT;
