-- The search index (core/search.c, `crm search`): one row per record of every kind, kept by the
-- record engine in the same transaction as every write, filled from the records already kept
-- when this migration runs (crm_search_rebuild, called by the migration step in core/crm.c).
-- label and body are the text as written, for the hit's label and snippet; lterms and bterms
-- the same text folded by crm_fold (case, accents, ß as ss, in every script) and cut into words
-- by core/search.c, which folds a query the same way. Only lterms and bterms are indexed.
-- rowid is the record's number times 32 plus its kind's code (core/search.c), so one record's
-- row is found without a scan.
CREATE VIRTUAL TABLE search_index USING fts5(
	kind UNINDEXED, record_id UNINDEXED, label UNINDEXED, body UNINDEXED, lterms, bterms,
	tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3'
);

-- Attributes: key=value pairs on any record (crm attr), filtered as attr.<key>:<value>,
-- searched (the body of the record's index row holds key=value), kept in history.
CREATE TABLE attributes (
	kind TEXT NOT NULL,
	record_id INTEGER NOT NULL,
	key TEXT NOT NULL,
	value TEXT NOT NULL,
	PRIMARY KEY (kind, record_id, key)
);
CREATE INDEX attributes_key ON attributes(kind, key, value);
