-- Inventories: agents report every blob they hold. Blobs are matched to objects by hash, and those
-- that are no object's are kept here, per host, for operators to see.

CREATE INDEX objects_sha256 ON objects (sha256);

CREATE TABLE flagged_blobs (
    host_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    first_seen_ms BIGINT NOT NULL,
    PRIMARY KEY (host_id, sha256)
);
