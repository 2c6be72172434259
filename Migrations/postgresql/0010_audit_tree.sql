-- The audit log as an RFC 6962 Merkle tree: the heads the alliance's log key has signed (size, root,
-- time), and that key, sealed with the certificate authority's sealing key (never in the clear here).
CREATE TABLE tree_heads (
    size BIGINT PRIMARY KEY,
    root TEXT NOT NULL,
    at_ms BIGINT NOT NULL,
    signature TEXT NOT NULL
);

CREATE TABLE audit_log_key (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    public_key TEXT NOT NULL,
    sealed_key TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL
);

-- Signed heads are evidence, like the log they sign: never changed or removed.
CREATE FUNCTION tree_heads_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'tree_heads is append-only';
END;
$$;

CREATE TRIGGER tree_heads_no_update_or_delete BEFORE UPDATE OR DELETE ON tree_heads
    FOR EACH ROW EXECUTE FUNCTION tree_heads_are_append_only();
