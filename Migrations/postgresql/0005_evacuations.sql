-- Evacuations: a copy on a host where its dataset may no longer be stored (or on a draining host),
-- from when the control plane saw it until the copy is gone, against the classification's deadline.
-- Kept after the copy, its object or its dataset are gone: they are evidence.

CREATE TABLE evacuations (
    id TEXT PRIMARY KEY,
    object_id TEXT NOT NULL,
    dataset_id TEXT NOT NULL,
    host_id TEXT NOT NULL,
    started_at_ms BIGINT NOT NULL,
    ended_at_ms BIGINT,
    document TEXT NOT NULL
);

-- At most one open evacuation per copy.
CREATE UNIQUE INDEX evacuations_open_copy ON evacuations (object_id, host_id) WHERE ended_at_ms IS NULL;
CREATE INDEX evacuations_dataset ON evacuations (dataset_id, started_at_ms);
CREATE INDEX evacuations_started ON evacuations (started_at_ms);
