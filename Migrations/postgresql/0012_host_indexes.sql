-- What one host holds and what is placed on it, read for every agent's assignment set and every
-- heartbeat: without these each read scanned every copy and every placement of the alliance.
CREATE INDEX object_copies_host ON object_copies (host_id, object_id);
CREATE INDEX placement_hosts_host ON placement_hosts (host_id, dataset_id);
