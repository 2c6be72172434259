-- Crypto-shredding: a dataset's shred waits out its pending window, then executes (wrapped keys
-- dropped, custodians told to destroy, agents to delete) and completes once all have. The record
-- outlives the dataset, so it has no foreign key to it.
CREATE TABLE shreds (
    id TEXT PRIMARY KEY,
    dataset_id TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_at_ms BIGINT NOT NULL,
    execute_at_ms BIGINT NOT NULL,
    cancelled_at_ms BIGINT,
    cancelled_by TEXT,
    executed_at_ms BIGINT,
    completed_at_ms BIGINT
);

CREATE INDEX shreds_dataset ON shreds (dataset_id);

-- Work for custodians, carried on their heartbeat replies: destroy or rotate a dataset's keys.
CREATE TABLE custody_tasks (
    id TEXT PRIMARY KEY,
    custodian_id TEXT NOT NULL REFERENCES custodians (id),
    dataset_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('destroy', 'rotate')),
    requested_by TEXT NOT NULL,
    requested_at_ms BIGINT NOT NULL,
    done_at_ms BIGINT,
    outcome TEXT
);

CREATE INDEX custody_tasks_custodian ON custody_tasks (custodian_id, done_at_ms);

-- After a rotation, the oldest key version of a custodian for a dataset that new wrapped keys may
-- name: older ones are being destroyed.
CREATE TABLE custodian_key_floors (
    custodian_id TEXT NOT NULL REFERENCES custodians (id),
    dataset_id TEXT NOT NULL,
    min_version INTEGER NOT NULL,
    PRIMARY KEY (custodian_id, dataset_id)
);
