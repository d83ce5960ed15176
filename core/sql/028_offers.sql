-- Offers (issue 12): quotes with lines, sections and versions. An offer's number comes from a
-- yearly sequence (sequences: one row per expanded prefix, "OF-2026-", its last value), given in
-- the transaction that adds the offer; a revision keeps the number with "-v<N>" after it.
-- Amounts are INTEGERs of minor units of the offer's currency; a quantity in thousandths, a
-- discount and a tax rate in hundredths of a percent.
CREATE TABLE sequences (
	name  TEXT PRIMARY KEY,
	value INTEGER NOT NULL
);

CREATE TABLE offers (
	id             INTEGER PRIMARY KEY AUTOINCREMENT,
	number         TEXT NOT NULL,
	number_fold    TEXT NOT NULL UNIQUE,
	version        INTEGER,
	revises_id     INTEGER REFERENCES offers(id) ON DELETE RESTRICT,
	title          TEXT NOT NULL,
	account_id     INTEGER NOT NULL REFERENCES accounts(id) ON DELETE RESTRICT,
	contact_id     INTEGER REFERENCES contacts(id) ON DELETE RESTRICT,
	opportunity_id INTEGER REFERENCES opportunities(id) ON DELETE RESTRICT,
	project_id     INTEGER REFERENCES projects(id) ON DELETE RESTRICT,
	description    TEXT,
	budget         INTEGER,
	currency       TEXT,
	valid_until    TEXT,
	owner_id       INTEGER REFERENCES users(id) ON DELETE RESTRICT,
	status         TEXT NOT NULL,
	reject_reason  TEXT,
	template       INTEGER,
	contract_id    INTEGER REFERENCES contracts(id) ON DELETE RESTRICT,
	notes          TEXT,
	custom         TEXT CHECK (custom IS NULL OR json_valid(custom)),
	created        TEXT NOT NULL,
	updated        TEXT NOT NULL
);
CREATE INDEX offers_account ON offers(account_id);
CREATE INDEX offers_contact ON offers(contact_id);
CREATE INDEX offers_opportunity ON offers(opportunity_id);
CREATE INDEX offers_project ON offers(project_id);
CREATE INDEX offers_owner ON offers(owner_id);
CREATE INDEX offers_revises ON offers(revises_id);
CREATE INDEX offers_contract ON offers(contract_id);
-- crm alert run: open offers past their validity date
CREATE INDEX offers_valid ON offers(status COLLATE NOCASE, valid_until);

CREATE TABLE offer_lines (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	offer_id    INTEGER NOT NULL REFERENCES offers(id) ON DELETE RESTRICT,
	product_id  INTEGER REFERENCES products(id) ON DELETE RESTRICT,
	description TEXT NOT NULL,
	unit        TEXT,
	quantity    INTEGER,
	price       INTEGER,
	currency    TEXT,
	discount    INTEGER,
	tax_rate    INTEGER,
	notes       TEXT,
	custom      TEXT CHECK (custom IS NULL OR json_valid(custom)),
	created     TEXT NOT NULL,
	updated     TEXT NOT NULL
);
CREATE INDEX offer_lines_offer ON offer_lines(offer_id);
CREATE INDEX offer_lines_product ON offer_lines(product_id);

CREATE TABLE offer_sections (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	offer_id    INTEGER NOT NULL REFERENCES offers(id) ON DELETE RESTRICT,
	name        TEXT NOT NULL,
	owner_id    INTEGER REFERENCES users(id) ON DELETE RESTRICT,
	status      TEXT NOT NULL,
	body        TEXT,
	custom      TEXT CHECK (custom IS NULL OR json_valid(custom)),
	created     TEXT NOT NULL,
	updated     TEXT NOT NULL
);
CREATE INDEX offer_sections_offer ON offer_sections(offer_id);
CREATE INDEX offer_sections_owner ON offer_sections(owner_id);
