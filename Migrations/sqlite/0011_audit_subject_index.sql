-- A subject's entries, for history ("where was this dataset at that time"), without reading the log.
CREATE INDEX audit_log_subject ON audit_log (subject_kind, subject_id, seq);
