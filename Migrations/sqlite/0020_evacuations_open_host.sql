-- Each host's open evacuations, read whenever its assignment set is built: the copies its home states
-- decided to destroy go from there.
CREATE INDEX evacuations_open_host ON evacuations (host_id) WHERE ended_at_ms IS NULL;
