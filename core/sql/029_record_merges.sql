-- Issue 13, point 4: merging duplicate records, and undoing a merge. A merge of `other` into
-- `keep` (same kind) moves every row that pointed at other to keep, fills keep's empty fields
-- from other and removes other; record_merge_cells keeps, cell by cell, what is needed to put
-- both back exactly: other's row (role 'other'), keep's row before (role 'keep') and after
-- (role 'after': an undo without --force wants keep as the merge left it), each row
-- moved (role 'moved', `moved` names the column that was changed) and each row dropped because
-- keep already had the same (role 'dropped': a link, a list membership, an attribute of that
-- key). type: i integer, r real, t text, n null. keep_history: the last history row when the merge
-- was done, so that an undo after keep was changed again (a newer history row) is refused.
CREATE TABLE record_merges (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	kind         TEXT NOT NULL,
	keep_id      INTEGER NOT NULL,
	other_id     INTEGER NOT NULL,
	at           TEXT NOT NULL,
	user         TEXT NOT NULL,
	real_user    TEXT,
	keep_history INTEGER,
	undone_at    TEXT,
	undone_by    TEXT
);
CREATE INDEX record_merges_keep ON record_merges(kind, keep_id);
CREATE TABLE record_merge_cells (
	merge_id INTEGER NOT NULL REFERENCES record_merges(id) ON DELETE CASCADE,
	row_no   INTEGER NOT NULL,
	tbl      TEXT NOT NULL,
	role     TEXT NOT NULL CHECK (role IN ('other', 'keep', 'after', 'moved', 'dropped')),
	moved    TEXT,
	col      TEXT NOT NULL,
	type     TEXT NOT NULL CHECK (type IN ('i', 'r', 't', 'n')),
	value    TEXT,
	PRIMARY KEY (merge_id, row_no, col)
);
-- A merge (and every removal of a contact, through its foreign keys) finds a contact's rows in
-- these by the contact alone: mail merge runs grow by one row per contact and run.
CREATE INDEX merge_sent_contact ON merge_sent(contact_id);
CREATE INDEX ticket_watchers_by_contact ON ticket_watchers(contact_id) WHERE contact_id IS NOT NULL;
