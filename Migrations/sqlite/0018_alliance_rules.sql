-- Versions of the alliance's rules (classifications and groups) with the states' signatures over each,
-- as canonical JSON. A version is in force once every state of the charter has signed it; agents and
-- custodians check those signatures themselves, so this flag only says which version to send them.
CREATE TABLE alliance_rules (
    version BIGINT PRIMARY KEY,
    document TEXT NOT NULL,
    in_force INTEGER NOT NULL DEFAULT 0,
    updated_at_ms BIGINT NOT NULL
);
