-- Witnesses' cosignatures of the audit log's checkpoints (c2sp.org/tlog-cosignature): one per
-- jurisdiction's witness and tree size, the signature line as the witness made it.
CREATE TABLE audit_cosignatures (
    jurisdiction TEXT NOT NULL,
    size BIGINT NOT NULL,
    root TEXT NOT NULL,
    cosigned_at_ms BIGINT NOT NULL,
    line TEXT NOT NULL,
    PRIMARY KEY (jurisdiction, size)
);
CREATE INDEX audit_cosignatures_size ON audit_cosignatures (size);
