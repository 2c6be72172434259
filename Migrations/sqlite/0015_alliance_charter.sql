-- The alliance charter: the founding states' authority keys, signed by every one of them. One row,
-- kept as the signed file's text, so anyone can check it without trusting this database.
CREATE TABLE alliance_charter (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    signed_text TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL
);
