-- Sales (issue 12): products and services, and opportunities. Amounts are INTEGERs of minor
-- units of the row's currency (017), a tax rate an INTEGER of hundredths of a percent (19% is
-- 1900). A product's code is unique as people read it: case and accents ignored (code_fold).
CREATE TABLE products (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	code        TEXT NOT NULL,
	code_fold   TEXT NOT NULL UNIQUE,
	name        TEXT NOT NULL,
	unit        TEXT,
	price       INTEGER,
	currency    TEXT,
	tax_rate    INTEGER,
	active      INTEGER,
	description TEXT,
	custom      TEXT CHECK (custom IS NULL OR json_valid(custom)),
	created     TEXT NOT NULL,
	updated     TEXT NOT NULL
);

CREATE TABLE opportunities (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	title       TEXT NOT NULL,
	account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE RESTRICT,
	contact_id  INTEGER REFERENCES contacts(id) ON DELETE RESTRICT,
	stage       TEXT NOT NULL,
	value       INTEGER,
	currency    TEXT,
	probability INTEGER,
	close_date  TEXT,
	owner_id    INTEGER REFERENCES users(id) ON DELETE RESTRICT,
	campaign    TEXT,
	lost_reason TEXT,
	notes       TEXT,
	custom      TEXT CHECK (custom IS NULL OR json_valid(custom)),
	created     TEXT NOT NULL,
	updated     TEXT NOT NULL
);
CREATE INDEX opportunities_account ON opportunities(account_id);
CREATE INDEX opportunities_contact ON opportunities(contact_id);
CREATE INDEX opportunities_owner ON opportunities(owner_id);
-- crm pipeline: counts and sums by currency and stage, read from the index alone
CREATE INDEX opportunities_pipeline ON opportunities(currency, stage COLLATE NOCASE, value, probability);
