-- The search index (see core/sql/019_search.sql): here a tsvector of the folded words, the
-- label's weighted A, kept by the record engine and searched through a GIN index.
CREATE TABLE search_index (
	kind text NOT NULL,
	record_id bigint NOT NULL,
	label text,
	body text,
	tsv tsvector NOT NULL,
	PRIMARY KEY (kind, record_id)
);
CREATE INDEX search_index_tsv ON search_index USING gin (tsv);

CREATE TABLE attributes (
	kind text NOT NULL,
	record_id bigint NOT NULL,
	key text NOT NULL,
	value text NOT NULL,
	PRIMARY KEY (kind, record_id, key)
);
CREATE INDEX attributes_key ON attributes(kind, key, value);
