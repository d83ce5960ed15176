-- Tickets: support requests moving through the configured workflow, with their comments and
-- actions, watchers, SLA alerts and the notifications every operation queues.
-- Custom fields (configuration custom_fields.<kind>) live in a JSON column `custom` of the
-- kind's table; the main kinds get it here.

ALTER TABLE accounts ADD COLUMN custom TEXT CHECK (custom IS NULL OR json_valid(custom));
ALTER TABLE locations ADD COLUMN custom TEXT CHECK (custom IS NULL OR json_valid(custom));
ALTER TABLE contacts ADD COLUMN custom TEXT CHECK (custom IS NULL OR json_valid(custom));
ALTER TABLE users ADD COLUMN custom TEXT CHECK (custom IS NULL OR json_valid(custom));
ALTER TABLE projects ADD COLUMN custom TEXT CHECK (custom IS NULL OR json_valid(custom));
ALTER TABLE contracts ADD COLUMN custom TEXT CHECK (custom IS NULL OR json_valid(custom));
ALTER TABLE activities ADD COLUMN custom TEXT CHECK (custom IS NULL OR json_valid(custom));

CREATE TABLE tickets (
	id             INTEGER PRIMARY KEY,
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
CREATE INDEX tickets_account ON tickets(account_id);
CREATE INDEX tickets_assignee ON tickets(assignee_id);
CREATE INDEX tickets_status ON tickets(status);

-- Comments and actions (open, comment, assign, transition, watch, alert, attach), in order.
CREATE TABLE ticket_actions (
	id          INTEGER PRIMARY KEY,
	ticket_id   INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
	at          TEXT NOT NULL,
	user        TEXT NOT NULL,
	action      TEXT NOT NULL,
	name        TEXT,               -- the transition taken
	from_status TEXT,
	to_status   TEXT,
	text        TEXT                -- the comment, or what was done
);
CREATE INDEX ticket_actions_ticket ON ticket_actions(ticket_id, id);

-- Users (or the customer's contacts) who get a notification of every operation.
CREATE TABLE ticket_watchers (
	id         INTEGER PRIMARY KEY,
	ticket_id  INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
	user_id    INTEGER REFERENCES users(id) ON DELETE CASCADE,
	contact_id INTEGER REFERENCES contacts(id) ON DELETE CASCADE,
	CHECK ((user_id IS NULL) <> (contact_id IS NULL))
);
CREATE UNIQUE INDEX ticket_watchers_user ON ticket_watchers(ticket_id, user_id) WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX ticket_watchers_contact ON ticket_watchers(ticket_id, contact_id) WHERE contact_id IS NOT NULL;

-- One alert per lateness: a ticket past one of its targets, once per opening (cycle).
CREATE TABLE alerts (
	id         INTEGER PRIMARY KEY,
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

-- The outbox. A sender claims a row by setting lease_owner and lease_until in a write
-- transaction, runs the delivery command, then marks it delivered (or schedules a retry):
-- two overlapping senders never take the same row, and a sender that died leaves a lease that
-- runs out, so nothing is lost.
CREATE TABLE notifications (
	id           INTEGER PRIMARY KEY,
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
CREATE INDEX notifications_pending ON notifications(next_attempt) WHERE delivered IS NULL;
