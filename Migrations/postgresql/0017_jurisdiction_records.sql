-- Each state's record of its ground (sites, hosts, custodians, data embassies) as its authority signed
-- it: the latest version per jurisdiction, kept as the signed text so agents and custodians can check
-- it without trusting this database. Earlier versions stay in the audit log.
CREATE TABLE jurisdiction_records (
    jurisdiction TEXT PRIMARY KEY,
    version BIGINT NOT NULL,
    signed_text TEXT NOT NULL,
    signed_at_ms BIGINT NOT NULL
);
