-- Record numbers are never reused. A rowid table numbers a new row one past the largest, so
-- removing the newest contact and adding another gave the new one the old number, and with it
-- the old contact's history. AUTOINCREMENT keeps the largest number ever used in
-- sqlite_sequence. SQLite cannot add it in place: each table whose numbers people see is
-- rebuilt with the same columns, constraints and indexes (migrations run with foreign keys off
-- and are checked before they commit, see core/crm.c), and its sequence starts past every
-- number its history or an import's ranges ever gave a record, so that a number removed before
-- this migration is not handed out again either.

CREATE TABLE users_new (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	login      TEXT NOT NULL UNIQUE COLLATE NOCASE,
	name       TEXT,
	email      TEXT COLLATE NOCASE,
	manager_id INTEGER REFERENCES users(id) ON DELETE RESTRICT,
	groups     TEXT,
	roles      TEXT,
	created    TEXT NOT NULL,
	updated    TEXT NOT NULL,
	custom TEXT CHECK (custom IS NULL OR json_valid(custom))
);
INSERT INTO users_new (id, login, name, email, manager_id, groups, roles, created, updated, custom)
	SELECT id, login, name, email, manager_id, groups, roles, created, updated, custom FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;

CREATE TABLE accounts_new (
	id                 INTEGER PRIMARY KEY AUTOINCREMENT,
	name               TEXT NOT NULL UNIQUE COLLATE NOCASE,
	parent_id          INTEGER REFERENCES accounts(id) ON DELETE RESTRICT,
	industry           TEXT,
	country            TEXT,
	line_of_business   TEXT,
	lifecycle_stage    TEXT,
	relationship_stage TEXT,
	credit_rating      TEXT,
	credit_limit       REAL,
	website            TEXT,
	phone              TEXT,
	notes              TEXT,
	created            TEXT NOT NULL,
	updated            TEXT NOT NULL,
	custom TEXT CHECK (custom IS NULL OR json_valid(custom)),
	name_fold TEXT
);
INSERT INTO accounts_new (id, name, parent_id, industry, country, line_of_business, lifecycle_stage, relationship_stage, credit_rating, credit_limit, website, phone, notes, created, updated, custom, name_fold)
	SELECT id, name, parent_id, industry, country, line_of_business, lifecycle_stage, relationship_stage, credit_rating, credit_limit, website, phone, notes, created, updated, custom, name_fold FROM accounts;
DROP TABLE accounts;
ALTER TABLE accounts_new RENAME TO accounts;
CREATE INDEX accounts_name_fold ON accounts(name_fold);
CREATE INDEX accounts_parent ON accounts(parent_id);

CREATE TABLE locations_new (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE RESTRICT,
	name        TEXT NOT NULL COLLATE NOCASE,
	address     TEXT,
	city        TEXT,
	postal_code TEXT,
	country     TEXT,
	notes       TEXT,
	created     TEXT NOT NULL,
	updated     TEXT NOT NULL,
	custom TEXT CHECK (custom IS NULL OR json_valid(custom)),
	name_fold TEXT,
	UNIQUE (account_id, name)
);
INSERT INTO locations_new (id, account_id, name, address, city, postal_code, country, notes, created, updated, custom, name_fold)
	SELECT id, account_id, name, address, city, postal_code, country, notes, created, updated, custom, name_fold FROM locations;
DROP TABLE locations;
ALTER TABLE locations_new RENAME TO locations;
CREATE INDEX locations_name_fold ON locations(name_fold);

CREATE TABLE contacts_new (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	first_name      TEXT,
	last_name       TEXT,
	title           TEXT,
	email           TEXT UNIQUE COLLATE NOCASE,
	phone           TEXT,
	mobile          TEXT,
	account_id      INTEGER REFERENCES accounts(id) ON DELETE RESTRICT,
	location_id     INTEGER REFERENCES locations(id) ON DELETE RESTRICT,
	lifecycle_stage TEXT,
	notes           TEXT,
	created         TEXT NOT NULL,
	updated         TEXT NOT NULL,
	custom TEXT CHECK (custom IS NULL OR json_valid(custom)),
	label_fold TEXT
);
INSERT INTO contacts_new (id, first_name, last_name, title, email, phone, mobile, account_id, location_id, lifecycle_stage, notes, created, updated, custom, label_fold)
	SELECT id, first_name, last_name, title, email, phone, mobile, account_id, location_id, lifecycle_stage, notes, created, updated, custom, label_fold FROM contacts;
DROP TABLE contacts;
ALTER TABLE contacts_new RENAME TO contacts;
CREATE INDEX contacts_account ON contacts(account_id);
CREATE INDEX contacts_label_fold ON contacts(label_fold);
CREATE INDEX contacts_location ON contacts(location_id);

CREATE TABLE projects_new (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	name        TEXT NOT NULL COLLATE NOCASE,
	account_id  INTEGER REFERENCES accounts(id) ON DELETE RESTRICT,
	location_id INTEGER REFERENCES locations(id) ON DELETE RESTRICT,
	manager_id  INTEGER REFERENCES users(id) ON DELETE RESTRICT,
	status      TEXT,
	product     TEXT,
	income      REAL,
	start_date  TEXT,
	due_date    TEXT,
	notes       TEXT,
	created     TEXT NOT NULL,
	updated     TEXT NOT NULL,
	custom TEXT CHECK (custom IS NULL OR json_valid(custom)),
	name_fold TEXT
);
INSERT INTO projects_new (id, name, account_id, location_id, manager_id, status, product, income, start_date, due_date, notes, created, updated, custom, name_fold)
	SELECT id, name, account_id, location_id, manager_id, status, product, income, start_date, due_date, notes, created, updated, custom, name_fold FROM projects;
DROP TABLE projects;
ALTER TABLE projects_new RENAME TO projects;
CREATE INDEX projects_account ON projects(account_id);
CREATE INDEX projects_manager ON projects(manager_id);
CREATE INDEX projects_name_fold ON projects(name_fold);

CREATE TABLE project_costs_new (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE RESTRICT,
	amount     REAL NOT NULL,
	what       TEXT NOT NULL,
	date       TEXT,
	created    TEXT NOT NULL,
	updated    TEXT NOT NULL
);
INSERT INTO project_costs_new (id, project_id, amount, what, date, created, updated)
	SELECT id, project_id, amount, what, date, created, updated FROM project_costs;
DROP TABLE project_costs;
ALTER TABLE project_costs_new RENAME TO project_costs;
CREATE INDEX project_costs_project ON project_costs(project_id);

CREATE TABLE contracts_new (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	title      TEXT NOT NULL COLLATE NOCASE,
	account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE RESTRICT,
	project_id INTEGER REFERENCES projects(id) ON DELETE RESTRICT,
	type       TEXT,
	value      REAL,
	currency   TEXT,
	start_date TEXT,
	end_date   TEXT,
	status     TEXT,
	notes      TEXT,
	created    TEXT NOT NULL,
	updated    TEXT NOT NULL,
	custom TEXT CHECK (custom IS NULL OR json_valid(custom)),
	title_fold TEXT
);
INSERT INTO contracts_new (id, title, account_id, project_id, type, value, currency, start_date, end_date, status, notes, created, updated, custom, title_fold)
	SELECT id, title, account_id, project_id, type, value, currency, start_date, end_date, status, notes, created, updated, custom, title_fold FROM contracts;
DROP TABLE contracts;
ALTER TABLE contracts_new RENAME TO contracts;
CREATE INDEX contracts_account ON contracts(account_id);
CREATE INDEX contracts_end ON contracts(end_date);
CREATE INDEX contracts_project ON contracts(project_id);
CREATE INDEX contracts_title_fold ON contracts(title_fold);

CREATE TABLE contract_lines_new (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	contract_id INTEGER NOT NULL REFERENCES contracts(id) ON DELETE RESTRICT,
	product     TEXT NOT NULL,
	quantity    REAL,
	price       REAL,
	notes       TEXT,
	created     TEXT NOT NULL,
	updated     TEXT NOT NULL
);
INSERT INTO contract_lines_new (id, contract_id, product, quantity, price, notes, created, updated)
	SELECT id, contract_id, product, quantity, price, notes, created, updated FROM contract_lines;
DROP TABLE contract_lines;
ALTER TABLE contract_lines_new RENAME TO contract_lines;
CREATE INDEX contract_lines_contract ON contract_lines(contract_id);

CREATE TABLE activities_new (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	summary     TEXT NOT NULL,
	type        TEXT NOT NULL,
	at          TEXT NOT NULL,
	account_id  INTEGER REFERENCES accounts(id) ON DELETE RESTRICT,
	location_id INTEGER REFERENCES locations(id) ON DELETE RESTRICT,
	contract_id INTEGER REFERENCES contracts(id) ON DELETE RESTRICT,
	result      TEXT,
	body        TEXT,
	message_id  TEXT UNIQUE,
	created     TEXT NOT NULL,
	updated     TEXT NOT NULL,
	custom TEXT CHECK (custom IS NULL OR json_valid(custom))
);
INSERT INTO activities_new (id, summary, type, at, account_id, location_id, contract_id, result, body, message_id, created, updated, custom)
	SELECT id, summary, type, at, account_id, location_id, contract_id, result, body, message_id, created, updated, custom FROM activities;
DROP TABLE activities;
ALTER TABLE activities_new RENAME TO activities;
CREATE INDEX activities_account ON activities(account_id, at);
CREATE INDEX activities_at ON activities(at);
CREATE INDEX activities_contract ON activities(contract_id);
CREATE INDEX activities_location ON activities(location_id);

CREATE TABLE documents_new (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	name         TEXT NOT NULL,
	noun         TEXT NOT NULL,
	record_id    INTEGER NOT NULL,
	size         INTEGER NOT NULL,
	content_type TEXT,
	sha256       TEXT NOT NULL,
	blob_id      INTEGER NOT NULL REFERENCES blobs(id) ON DELETE RESTRICT,
	created      TEXT NOT NULL,
	updated      TEXT NOT NULL
);
INSERT INTO documents_new (id, name, noun, record_id, size, content_type, sha256, blob_id, created, updated)
	SELECT id, name, noun, record_id, size, content_type, sha256, blob_id, created, updated FROM documents;
DROP TABLE documents;
ALTER TABLE documents_new RENAME TO documents;
CREATE INDEX documents_blob ON documents(blob_id);
CREATE INDEX documents_record ON documents(noun, record_id);

CREATE TABLE tickets_new (
	id             INTEGER PRIMARY KEY AUTOINCREMENT,
	title          TEXT NOT NULL,
	account_id     INTEGER NOT NULL REFERENCES accounts(id) ON DELETE RESTRICT,
	contact_id     INTEGER REFERENCES contacts(id) ON DELETE RESTRICT,
	project_id     INTEGER REFERENCES projects(id) ON DELETE RESTRICT,
	contract_id    INTEGER REFERENCES contracts(id) ON DELETE RESTRICT,
	priority       TEXT NOT NULL,
	status         TEXT NOT NULL,
	assignee_id    INTEGER REFERENCES users(id) ON DELETE RESTRICT,
	assignee_group TEXT,
	reporter_id    INTEGER REFERENCES users(id) ON DELETE RESTRICT,
	opened         TEXT,
	responded      TEXT,             -- first comment or transition after opening
	resolved       TEXT,             -- when it last reached a resolved status
	description    TEXT,
	resolution     TEXT,
	-- The SLA clock: stopped (paused_since set) in paused and resolved statuses; the seconds
	-- of earlier stops add up in paused_seconds. cycle counts openings (1 + reopenings), so
	-- that a reopened ticket may be alerted on again.
	paused_seconds INTEGER NOT NULL DEFAULT 0,
	paused_since   TEXT,
	cycle          INTEGER NOT NULL DEFAULT 1,
	custom         TEXT CHECK (custom IS NULL OR json_valid(custom)),
	created        TEXT NOT NULL,
	updated        TEXT NOT NULL
);
INSERT INTO tickets_new (id, title, account_id, contact_id, project_id, contract_id, priority, status, assignee_id, assignee_group, reporter_id, opened, responded, resolved, description, resolution, paused_seconds, paused_since, cycle, custom, created, updated)
	SELECT id, title, account_id, contact_id, project_id, contract_id, priority, status, assignee_id, assignee_group, reporter_id, opened, responded, resolved, description, resolution, paused_seconds, paused_since, cycle, custom, created, updated FROM tickets;
DROP TABLE tickets;
ALTER TABLE tickets_new RENAME TO tickets;
CREATE INDEX tickets_account ON tickets(account_id);
CREATE INDEX tickets_assignee ON tickets(assignee_id);
CREATE INDEX tickets_contact ON tickets(contact_id);
CREATE INDEX tickets_contract ON tickets(contract_id);
CREATE INDEX tickets_project ON tickets(project_id);
CREATE INDEX tickets_status ON tickets(status COLLATE NOCASE, opened);

CREATE TABLE ticket_actions_new (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	ticket_id   INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
	at          TEXT NOT NULL,
	user        TEXT NOT NULL,
	action      TEXT NOT NULL,
	name        TEXT,               -- the transition taken
	from_status TEXT,
	to_status   TEXT,
	text        TEXT                -- the comment, or what was done
);
INSERT INTO ticket_actions_new (id, ticket_id, at, user, action, name, from_status, to_status, text)
	SELECT id, ticket_id, at, user, action, name, from_status, to_status, text FROM ticket_actions;
DROP TABLE ticket_actions;
ALTER TABLE ticket_actions_new RENAME TO ticket_actions;
CREATE INDEX ticket_actions_ticket ON ticket_actions(ticket_id, id);

CREATE TABLE alerts_new (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	raised     TEXT NOT NULL,
	ticket_id  INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
	target     TEXT NOT NULL CHECK (target IN ('response', 'resolution')),
	cycle      INTEGER NOT NULL,
	due        TEXT NOT NULL,
	recipients TEXT NOT NULL,        -- logins, comma-separated
	acked      TEXT,
	acked_by   TEXT,
	UNIQUE (ticket_id, target, cycle)
);
INSERT INTO alerts_new (id, raised, ticket_id, target, cycle, due, recipients, acked, acked_by)
	SELECT id, raised, ticket_id, target, cycle, due, recipients, acked, acked_by FROM alerts;
DROP TABLE alerts;
ALTER TABLE alerts_new RENAME TO alerts;

CREATE TABLE notifications_new (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	created      TEXT NOT NULL,
	ticket_id    INTEGER,            -- no foreign key: the message outlives the ticket
	event        TEXT NOT NULL,
	recipient    TEXT NOT NULL,      -- e-mail address
	subject      TEXT NOT NULL,
	body         TEXT NOT NULL,
	attempts     INTEGER NOT NULL DEFAULT 0,
	next_attempt TEXT NOT NULL,
	lease_owner  TEXT,
	lease_until  TEXT,
	delivered    TEXT,
	last_error   TEXT
);
INSERT INTO notifications_new (id, created, ticket_id, event, recipient, subject, body, attempts, next_attempt, lease_owner, lease_until, delivered, last_error)
	SELECT id, created, ticket_id, event, recipient, subject, body, attempts, next_attempt, lease_owner, lease_until, delivered, last_error FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_pending ON notifications(next_attempt) WHERE delivered IS NULL;

CREATE TABLE import_batches_new (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	at           TEXT NOT NULL,
	user         TEXT NOT NULL,
	kind         TEXT NOT NULL,
	file         TEXT NOT NULL,
	mode         TEXT NOT NULL CHECK (mode IN ('create', 'update', 'upsert')),
	key          TEXT,
	rows         INTEGER NOT NULL DEFAULT 0,
	created      INTEGER NOT NULL DEFAULT 0,
	updated      INTEGER NOT NULL DEFAULT 0,
	unchanged    INTEGER NOT NULL DEFAULT 0,
	rejected     INTEGER NOT NULL DEFAULT 0,
	refs_created INTEGER NOT NULL DEFAULT 0,
	reverted_at  TEXT,
	reverted_by  TEXT,
	-- the history rows the revert wrote, so that later reverts of earlier batches can tell a
	-- record put back as it was from one changed since
	revert_first INTEGER,
	revert_last  INTEGER
);
INSERT INTO import_batches_new (id, at, user, kind, file, mode, key, rows, created, updated, unchanged, rejected, refs_created, reverted_at, reverted_by, revert_first, revert_last)
	SELECT id, at, user, kind, file, mode, key, rows, created, updated, unchanged, rejected, refs_created, reverted_at, reverted_by, revert_first, revert_last FROM import_batches;
DROP TABLE import_batches;
ALTER TABLE import_batches_new RENAME TO import_batches;

-- Past every number a record of the kind ever had: in the table, in its history, in the
-- ranges an import created.
DELETE FROM sqlite_sequence WHERE name = 'users';
INSERT INTO sqlite_sequence (name, seq) SELECT 'users', max(
	coalesce((SELECT max(id) FROM users), 0),
	coalesce((SELECT max(record_id) FROM history WHERE kind = 'user'), 0),
	coalesce((SELECT max(last_id) FROM import_created WHERE kind = 'user'), 0));
DELETE FROM sqlite_sequence WHERE name = 'accounts';
INSERT INTO sqlite_sequence (name, seq) SELECT 'accounts', max(
	coalesce((SELECT max(id) FROM accounts), 0),
	coalesce((SELECT max(record_id) FROM history WHERE kind = 'account'), 0),
	coalesce((SELECT max(last_id) FROM import_created WHERE kind = 'account'), 0));
DELETE FROM sqlite_sequence WHERE name = 'locations';
INSERT INTO sqlite_sequence (name, seq) SELECT 'locations', max(
	coalesce((SELECT max(id) FROM locations), 0),
	coalesce((SELECT max(record_id) FROM history WHERE kind = 'location'), 0),
	coalesce((SELECT max(last_id) FROM import_created WHERE kind = 'location'), 0));
DELETE FROM sqlite_sequence WHERE name = 'contacts';
INSERT INTO sqlite_sequence (name, seq) SELECT 'contacts', max(
	coalesce((SELECT max(id) FROM contacts), 0),
	coalesce((SELECT max(record_id) FROM history WHERE kind = 'contact'), 0),
	coalesce((SELECT max(last_id) FROM import_created WHERE kind = 'contact'), 0));
DELETE FROM sqlite_sequence WHERE name = 'projects';
INSERT INTO sqlite_sequence (name, seq) SELECT 'projects', max(
	coalesce((SELECT max(id) FROM projects), 0),
	coalesce((SELECT max(record_id) FROM history WHERE kind = 'project'), 0),
	coalesce((SELECT max(last_id) FROM import_created WHERE kind = 'project'), 0));
DELETE FROM sqlite_sequence WHERE name = 'project_costs';
INSERT INTO sqlite_sequence (name, seq) SELECT 'project_costs', max(
	coalesce((SELECT max(id) FROM project_costs), 0),
	coalesce((SELECT max(record_id) FROM history WHERE kind = 'cost'), 0),
	coalesce((SELECT max(last_id) FROM import_created WHERE kind = 'cost'), 0));
DELETE FROM sqlite_sequence WHERE name = 'contracts';
INSERT INTO sqlite_sequence (name, seq) SELECT 'contracts', max(
	coalesce((SELECT max(id) FROM contracts), 0),
	coalesce((SELECT max(record_id) FROM history WHERE kind = 'contract'), 0),
	coalesce((SELECT max(last_id) FROM import_created WHERE kind = 'contract'), 0));
DELETE FROM sqlite_sequence WHERE name = 'contract_lines';
INSERT INTO sqlite_sequence (name, seq) SELECT 'contract_lines', max(
	coalesce((SELECT max(id) FROM contract_lines), 0),
	coalesce((SELECT max(record_id) FROM history WHERE kind = 'contract_line'), 0),
	coalesce((SELECT max(last_id) FROM import_created WHERE kind = 'contract_line'), 0));
DELETE FROM sqlite_sequence WHERE name = 'activities';
INSERT INTO sqlite_sequence (name, seq) SELECT 'activities', max(
	coalesce((SELECT max(id) FROM activities), 0),
	coalesce((SELECT max(record_id) FROM history WHERE kind = 'activity'), 0),
	coalesce((SELECT max(last_id) FROM import_created WHERE kind = 'activity'), 0));
DELETE FROM sqlite_sequence WHERE name = 'documents';
INSERT INTO sqlite_sequence (name, seq) SELECT 'documents', max(
	coalesce((SELECT max(id) FROM documents), 0),
	coalesce((SELECT max(record_id) FROM history WHERE kind = 'document'), 0),
	coalesce((SELECT max(last_id) FROM import_created WHERE kind = 'document'), 0));
DELETE FROM sqlite_sequence WHERE name = 'tickets';
INSERT INTO sqlite_sequence (name, seq) SELECT 'tickets', max(
	coalesce((SELECT max(id) FROM tickets), 0),
	coalesce((SELECT max(record_id) FROM history WHERE kind = 'ticket'), 0),
	coalesce((SELECT max(last_id) FROM import_created WHERE kind = 'ticket'), 0));
