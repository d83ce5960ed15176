-- The corporate memory: who changed which field of which record, when, from what to what.
-- Rows are never updated or deleted by crm; a removed record's history stays.

CREATE TABLE history (
	id        INTEGER PRIMARY KEY,
	at        TEXT NOT NULL,
	user      TEXT NOT NULL,
	kind      TEXT NOT NULL,
	record_id INTEGER NOT NULL,
	action    TEXT NOT NULL CHECK (action IN ('add', 'edit', 'rm')),
	field     TEXT,
	old_value TEXT,
	new_value TEXT
);
CREATE INDEX history_record ON history(kind, record_id);
