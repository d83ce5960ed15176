-- The first records: accounts, their locations, contacts, and our own users.
-- Timestamps are UTC ISO 8601 text; dates are YYYY-MM-DD text.

CREATE TABLE users (
	id         INTEGER PRIMARY KEY,
	login      TEXT NOT NULL UNIQUE COLLATE NOCASE,
	name       TEXT,
	email      TEXT COLLATE NOCASE,
	manager_id INTEGER REFERENCES users(id) ON DELETE RESTRICT,
	groups     TEXT,
	roles      TEXT,
	created    TEXT NOT NULL,
	updated    TEXT NOT NULL
);

CREATE TABLE accounts (
	id                 INTEGER PRIMARY KEY,
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
	updated            TEXT NOT NULL
);
CREATE INDEX accounts_parent ON accounts(parent_id);

CREATE TABLE locations (
	id          INTEGER PRIMARY KEY,
	account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE RESTRICT,
	name        TEXT NOT NULL COLLATE NOCASE,
	address     TEXT,
	city        TEXT,
	postal_code TEXT,
	country     TEXT,
	notes       TEXT,
	created     TEXT NOT NULL,
	updated     TEXT NOT NULL,
	UNIQUE (account_id, name)
);

CREATE TABLE contacts (
	id              INTEGER PRIMARY KEY,
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
	updated         TEXT NOT NULL
);
CREATE INDEX contacts_account ON contacts(account_id);
CREATE INDEX contacts_location ON contacts(location_id);
