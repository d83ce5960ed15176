-- Issue 12, item 7: marketing campaigns. A campaign's name is unique as people read it
-- (name_fold: case and accents ignored); status follows workflow.campaign; budget and actual_cost
-- are integers of minor units of `currency` (crm/money.h).
CREATE TABLE campaigns (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	name        TEXT NOT NULL,
	name_fold   TEXT NOT NULL UNIQUE,
	type        TEXT,
	status      TEXT NOT NULL,
	start_date  TEXT,
	end_date    TEXT,
	budget      INTEGER,
	actual_cost INTEGER,
	currency    TEXT,
	owner_id    INTEGER REFERENCES users(id) ON DELETE RESTRICT,
	description TEXT,
	custom      TEXT CHECK (custom IS NULL OR json_valid(custom)),
	created     TEXT NOT NULL,
	updated     TEXT NOT NULL
);
CREATE INDEX campaigns_owner ON campaigns(owner_id);
CREATE INDEX campaigns_status ON campaigns(status);

-- Members, as link tables of the member like a static list's (022): a contact's or an account's
-- campaigns are its rows by the primary key, a campaign's members its rows by the target index;
-- removing a contact or an account takes its memberships with it, a campaign with members stays.
CREATE TABLE campaign_contacts (
	record_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	target_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE RESTRICT,
	PRIMARY KEY (record_id, target_id)
) WITHOUT ROWID;
CREATE INDEX campaign_contacts_target ON campaign_contacts(target_id, record_id);

CREATE TABLE campaign_accounts (
	record_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	target_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE RESTRICT,
	PRIMARY KEY (record_id, target_id)
) WITHOUT ROWID;
CREATE INDEX campaign_accounts_target ON campaign_accounts(target_id, record_id);

-- The campaign that brought an account (a prospect), the campaign a response (an activity with a
-- result) answers, and the campaign an opportunity is attributed to.
ALTER TABLE accounts ADD COLUMN campaign_id INTEGER REFERENCES campaigns(id) ON DELETE RESTRICT;
CREATE INDEX accounts_campaign ON accounts(campaign_id);
ALTER TABLE activities ADD COLUMN campaign_id INTEGER REFERENCES campaigns(id) ON DELETE RESTRICT;
CREATE INDEX activities_campaign ON activities(campaign_id, result);
ALTER TABLE opportunities ADD COLUMN campaign_id INTEGER REFERENCES campaigns(id) ON DELETE RESTRICT;
CREATE INDEX opportunities_campaign ON opportunities(campaign_id, currency, stage);

-- An opportunity's campaign was free text: each distinct text (as names compare: case and
-- accents ignored, spaces trimmed) becomes a campaign named as its first opportunity wrote it,
-- active since it already brought business, and the opportunities refer to it.
INSERT INTO campaigns (name, name_fold, status, created, updated)
	SELECT trim(f.campaign), crm_fold(trim(f.campaign)), 'active', g.created, g.updated
	FROM (SELECT min(id) AS first, min(created) AS created, max(updated) AS updated FROM opportunities
	      WHERE campaign IS NOT NULL AND trim(campaign) <> '' GROUP BY crm_fold(trim(campaign))) g
	JOIN opportunities f ON f.id = g.first ORDER BY g.first;
UPDATE opportunities SET campaign_id = (SELECT c.id FROM campaigns c WHERE c.name_fold = crm_fold(trim(opportunities.campaign)))
	WHERE campaign IS NOT NULL AND trim(campaign) <> '';
ALTER TABLE opportunities DROP COLUMN campaign;
