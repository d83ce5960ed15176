-- The corporate memory: one row per change of one record, with who, when, and every field that
-- changed as {"field": [old, new], ...} (old is null for an add, new is null for an rm).
-- Rows are never updated or deleted by crm; a removed record's history stays.

CREATE TABLE history (
	id        INTEGER PRIMARY KEY,
	at        TEXT NOT NULL,
	user      TEXT NOT NULL,
	kind      TEXT NOT NULL,
	record_id INTEGER NOT NULL,
	action    TEXT NOT NULL CHECK (action IN ('add', 'edit', 'rm')),
	changes   TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(changes)),
	batch_id  INTEGER
);
CREATE INDEX history_record ON history(kind, record_id);
CREATE INDEX history_batch ON history(batch_id) WHERE batch_id IS NOT NULL;
