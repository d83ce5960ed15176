-- Issue 15, financials. transactions: an account's invoices, payments and credit notes, amounts
-- INTEGERs of minor units of their currency, always > 0 (the type says which way money goes).
-- number is unique over all transactions, as people read it (case and accents ignored,
-- number_fold): an accounting system's export keys on it. applies_to_id: the invoice a
-- payment or credit note pays; contract_line_id: the delivered contract line an invoice bills,
-- unique, so fulfilment invoices a line once. financials: an account's yearly figures.
CREATE TABLE transactions (
	id               INTEGER PRIMARY KEY AUTOINCREMENT,
	type             TEXT NOT NULL,
	number           TEXT NOT NULL,
	number_fold      TEXT NOT NULL UNIQUE,
	account_id       INTEGER NOT NULL REFERENCES accounts(id) ON DELETE RESTRICT,
	date             TEXT NOT NULL,
	due_date         TEXT,
	amount           INTEGER NOT NULL,
	currency         TEXT NOT NULL,
	status           TEXT NOT NULL,
	applies_to_id    INTEGER REFERENCES transactions(id) ON DELETE RESTRICT,
	contract_id      INTEGER REFERENCES contracts(id) ON DELETE RESTRICT,
	contract_line_id INTEGER UNIQUE REFERENCES contract_lines(id) ON DELETE RESTRICT,
	notes            TEXT,
	custom           TEXT CHECK (custom IS NULL OR json_valid(custom)),
	created          TEXT NOT NULL,
	updated          TEXT NOT NULL
);
-- receivables: one account's transactions by currency, in the order allocation takes them
CREATE INDEX transactions_receivables ON transactions(account_id, currency, due_date, date, id);
CREATE INDEX transactions_applies_to ON transactions(applies_to_id);
CREATE INDEX transactions_contract ON transactions(contract_id);
CREATE INDEX transactions_date ON transactions(date);

ALTER TABLE contract_lines ADD COLUMN delivered TEXT;

CREATE TABLE financials (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE RESTRICT,
	year        INTEGER NOT NULL,
	revenue     INTEGER,
	profit      INTEGER,
	currency    TEXT,
	employees   INTEGER,
	source      TEXT,
	notes       TEXT,
	custom      TEXT CHECK (custom IS NULL OR json_valid(custom)),
	created     TEXT NOT NULL,
	updated     TEXT NOT NULL
);
CREATE UNIQUE INDEX financials_account_year ON financials(account_id, year);
