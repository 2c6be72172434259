-- An operator's disaster-recovery activation for a dataset: while in force (declared, before its end,
-- not ended early), the dataset's keys may be opened at its home state's data embassy for recovery.
-- Kept after the dataset is gone, like evacuations and shreds: they are evidence.
CREATE TABLE disaster_recovery_activations (
    id TEXT PRIMARY KEY,
    dataset_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    declared_by TEXT NOT NULL,
    declared_at_ms BIGINT NOT NULL,
    until_ms BIGINT NOT NULL,
    ended_at_ms BIGINT,
    ended_by TEXT
);

CREATE INDEX disaster_recovery_activations_dataset ON disaster_recovery_activations (dataset_id, declared_at_ms);
