-- The control plane's first schema: the alliance's rule base, its topology, agreements, datasets and
-- their desired placement, API tokens, idempotency keys, and the append-only audit log.
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
    seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    id TEXT PRIMARY KEY,
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
    created_at_ms BIGINT NOT NULL,
    PRIMARY KEY (principal_id, key)
);

CREATE TABLE audit_log (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at_ms BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    before_doc TEXT,
    after_doc TEXT
);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;

CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();

CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();
