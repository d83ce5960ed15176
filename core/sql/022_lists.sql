-- Distribution lists (issue 14): a list is static (its members added one by one, by filter or
-- from a CSV file) or dynamic (a saved filter over contacts or accounts, evaluated when used).
-- A list's name is unique as people read it (name_fold: case and accents ignored). `filter_terms`
-- and `member_kind` because FILTER and OF are SQL words.
CREATE TABLE lists (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	name         TEXT NOT NULL,
	name_fold    TEXT NOT NULL UNIQUE,
	type         TEXT NOT NULL,
	member_kind  TEXT NOT NULL,
	filter_terms TEXT,
	description  TEXT,
	owner_id     INTEGER REFERENCES users(id) ON DELETE RESTRICT,
	custom       TEXT CHECK (custom IS NULL OR json_valid(custom)),
	created      TEXT NOT NULL,
	updated      TEXT NOT NULL
);
CREATE INDEX lists_owner ON lists(owner_id);
CREATE INDEX lists_type ON lists(type);

-- The members of static lists, as link tables of the member (crm/kind.h CRM_F_LINKS): a
-- contact's or an account's lists are its rows by the primary key, a list's members are its rows
-- by the target index; removing a contact or an account takes its memberships with it.
CREATE TABLE list_contacts (
	record_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	target_id INTEGER NOT NULL REFERENCES lists(id) ON DELETE RESTRICT,
	PRIMARY KEY (record_id, target_id)
) WITHOUT ROWID;
CREATE INDEX list_contacts_target ON list_contacts(target_id, record_id);

CREATE TABLE list_accounts (
	record_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	target_id INTEGER NOT NULL REFERENCES lists(id) ON DELETE RESTRICT,
	PRIMARY KEY (record_id, target_id)
) WITHOUT ROWID;
CREATE INDEX list_accounts_target ON list_accounts(target_id, record_id);
