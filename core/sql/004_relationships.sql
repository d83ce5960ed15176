-- The relationship manager: projects (with cost entries), contracts (with product and service
-- lines), activities, and documents whose content is kept here once per SHA-256.
-- Many-to-many links are tables of (record_id, target_id): removing the owner removes its
-- links; a linked record cannot be removed while linked (crm says which records still link it).

CREATE TABLE projects (
	id          INTEGER PRIMARY KEY,
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
	updated     TEXT NOT NULL
);
CREATE INDEX projects_account ON projects(account_id);
CREATE INDEX projects_manager ON projects(manager_id);

CREATE TABLE project_team (
	record_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	target_id INTEGER NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
	PRIMARY KEY (record_id, target_id)
) WITHOUT ROWID;
CREATE INDEX project_team_target ON project_team(target_id);

CREATE TABLE project_contacts (
	record_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	target_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE RESTRICT,
	PRIMARY KEY (record_id, target_id)
) WITHOUT ROWID;
CREATE INDEX project_contacts_target ON project_contacts(target_id);

CREATE TABLE project_costs (
	id         INTEGER PRIMARY KEY,
	project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE RESTRICT,
	amount     REAL NOT NULL,
	what       TEXT NOT NULL,
	date       TEXT,
	created    TEXT NOT NULL,
	updated    TEXT NOT NULL
);
CREATE INDEX project_costs_project ON project_costs(project_id);

CREATE TABLE contracts (
	id         INTEGER PRIMARY KEY,
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
	updated    TEXT NOT NULL
);
CREATE INDEX contracts_account ON contracts(account_id);
CREATE INDEX contracts_project ON contracts(project_id);
CREATE INDEX contracts_end ON contracts(end_date);

CREATE TABLE contract_resources (
	record_id INTEGER NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
	target_id INTEGER NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
	PRIMARY KEY (record_id, target_id)
) WITHOUT ROWID;
CREATE INDEX contract_resources_target ON contract_resources(target_id);

CREATE TABLE contract_contacts (
	record_id INTEGER NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
	target_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE RESTRICT,
	PRIMARY KEY (record_id, target_id)
) WITHOUT ROWID;
CREATE INDEX contract_contacts_target ON contract_contacts(target_id);

CREATE TABLE contract_lines (
	id          INTEGER PRIMARY KEY,
	contract_id INTEGER NOT NULL REFERENCES contracts(id) ON DELETE RESTRICT,
	product     TEXT NOT NULL,
	quantity    REAL,
	price       REAL,
	notes       TEXT,
	created     TEXT NOT NULL,
	updated     TEXT NOT NULL
);
CREATE INDEX contract_lines_contract ON contract_lines(contract_id);

CREATE TABLE activities (
	id          INTEGER PRIMARY KEY,
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
	updated     TEXT NOT NULL
);
CREATE INDEX activities_at ON activities(at);
CREATE INDEX activities_account ON activities(account_id, at);
CREATE INDEX activities_location ON activities(location_id);
CREATE INDEX activities_contract ON activities(contract_id);

CREATE TABLE activity_contacts (
	record_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
	target_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE RESTRICT,
	PRIMARY KEY (record_id, target_id)
) WITHOUT ROWID;
CREATE INDEX activity_contacts_target ON activity_contacts(target_id);

CREATE TABLE activity_users (
	record_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
	target_id INTEGER NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
	PRIMARY KEY (record_id, target_id)
) WITHOUT ROWID;
CREATE INDEX activity_users_target ON activity_users(target_id);

CREATE TABLE activity_projects (
	record_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
	target_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE RESTRICT,
	PRIMARY KEY (record_id, target_id)
) WITHOUT ROWID;
CREATE INDEX activity_projects_target ON activity_projects(target_id);

-- Content, once per SHA-256 (lowercase hex), written and read in chunks through SQLite's
-- incremental blob I/O; the digest is checked on every read.
CREATE TABLE blobs (
	id      INTEGER PRIMARY KEY,
	sha256  TEXT NOT NULL UNIQUE,
	size    INTEGER NOT NULL,
	content BLOB NOT NULL
);

-- A document is a named use of a blob, attached to one record of any kind (noun = kind name),
-- so that kinds added later (tickets, offers) take documents without a schema change.
CREATE TABLE documents (
	id           INTEGER PRIMARY KEY,
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
CREATE INDEX documents_record ON documents(noun, record_id);
CREATE INDEX documents_blob ON documents(blob_id);
