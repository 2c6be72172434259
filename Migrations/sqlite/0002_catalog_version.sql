-- A counter bumped in the same transaction as every change to the alliance's rules, topology or
-- agreements, so a control plane can keep its policy evaluator and planner in memory and rebuild them
-- only when something they depend on has changed.

CREATE TABLE catalog_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);

INSERT INTO catalog_version (id, version) VALUES (1, 0);
