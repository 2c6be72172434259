-- Tokens expire, are revoked and rotated: their state is in their document. Dashboard login links
-- are good once: each used link is kept here until it has expired.
CREATE TABLE dashboard_links_used (
    nonce TEXT PRIMARY KEY,
    expires_at_ms BIGINT NOT NULL
);
