-- The control plane's first schema (SQLite dialect of postgresql/0001_initial.sql; keep the two in step).
-- Domain records are stored whole as canonical JSON in `document`; the columns beside it exist to be
-- searched, joined or kept unique.

CREATE TABLE jurisdictions (
    code TEXT PRIMARY KEY,
    document TEXT NOT NULL
);

CREATE TABLE jurisdiction_groups (
    name TEXT PRIMARY KEY,
    document TEXT NOT NULL
);

CREATE TABLE classifications (
    name TEXT PRIMARY KEY,
    document TEXT NOT NULL
);

CREATE TABLE sites (
    id TEXT PRIMARY KEY,
    jurisdiction TEXT NOT NULL REFERENCES jurisdictions (code),
    document TEXT NOT NULL
);

CREATE TABLE hosts (
    id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL REFERENCES sites (id),
    document TEXT NOT NULL
);

CREATE TABLE agreements (
    id TEXT PRIMARY KEY,
    document TEXT NOT NULL
);

CREATE TABLE datasets (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    owner_agency TEXT NOT NULL,
    home TEXT NOT NULL REFERENCES jurisdictions (code),
    classification TEXT NOT NULL REFERENCES classifications (name),
    document TEXT NOT NULL,
    UNIQUE (owner_agency, name)
);

CREATE INDEX datasets_home ON datasets (home, seq);

CREATE TABLE placements (
    dataset_id TEXT PRIMARY KEY REFERENCES datasets (id) ON DELETE CASCADE,
    document TEXT NOT NULL
);

CREATE TABLE placement_hosts (
    dataset_id TEXT NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
    host_id TEXT NOT NULL,
    jurisdiction TEXT NOT NULL,
    PRIMARY KEY (dataset_id, host_id)
);

CREATE INDEX placement_hosts_jurisdiction ON placement_hosts (jurisdiction, dataset_id);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    secret_hash TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    document TEXT NOT NULL
);

CREATE TABLE idempotency_keys (
    principal_id TEXT NOT NULL,
    key TEXT NOT NULL,
    request_digest TEXT NOT NULL,
    dataset_id TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    PRIMARY KEY (principal_id, key)
);

CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    before_doc TEXT,
    after_doc TEXT
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
