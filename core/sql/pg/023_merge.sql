-- Mail merge (issue 14.4): see core/sql/023_merge.sql.
CREATE TABLE merge_sent (
	run text NOT NULL,
	contact_id bigint NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	activity_id bigint,
	sent text NOT NULL,
	PRIMARY KEY (run, contact_id)
);
