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
