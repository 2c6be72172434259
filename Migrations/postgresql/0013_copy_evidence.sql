-- Copies are counted on evidence, not on an agent's word: each copy is recorded against the ticket it
-- came with (an upload ticket, or a download ticket between agents), each ticket for one copy ever, and
-- a copy between agents only once its sender has said it sent the object to that host under it.

-- Every ticket that has evidenced a copy, kept so that none evidences a second.
CREATE TABLE used_tickets (
    nonce TEXT PRIMARY KEY,
    object_id TEXT NOT NULL,
    host_id TEXT NOT NULL,
    used_at_ms BIGINT NOT NULL
);

-- Transfers a sending agent reported, until the receiver's report of the copy uses them.
CREATE TABLE object_transfers (
    nonce TEXT PRIMARY KEY,
    object_id TEXT NOT NULL,
    sender_host_id TEXT NOT NULL,
    recipient_host_id TEXT NOT NULL,
    sent_at_ms BIGINT NOT NULL
);

CREATE INDEX object_transfers_sent ON object_transfers (sent_at_ms);

-- Agents keep each copy under its object, not under its hash: what an inventory flags is an object id
-- (or a hash, for a blob an agent of an earlier version kept by hash alone), with the reason.
DROP TABLE flagged_blobs;

CREATE TABLE flagged_blobs (
    host_id TEXT NOT NULL,
    blob TEXT NOT NULL,
    reason TEXT NOT NULL,
    first_seen_ms BIGINT NOT NULL,
    PRIMARY KEY (host_id, blob)
);
