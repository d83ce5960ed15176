-- Issue 11: groups as records, and tasks and events (one kind, task, its type saying which).
-- A group's members stay the users whose groups name it (users.groups, as tickets read them);
-- the groups already named there become records here.

CREATE TABLE groups (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
	description TEXT,
	manager_id  INTEGER REFERENCES users(id) ON DELETE RESTRICT,
	custom      TEXT CHECK (custom IS NULL OR json_valid(custom)),
	created     TEXT NOT NULL,
	updated     TEXT NOT NULL
);

WITH RECURSIVE split(word, rest) AS (
	SELECT '', lower(replace(groups, ' ', '')) || ',' FROM users WHERE coalesce(groups, '') <> ''
	UNION ALL
	SELECT substr(rest, 1, instr(rest, ',') - 1), substr(rest, instr(rest, ',') + 1)
	FROM split WHERE rest <> ''
)
INSERT INTO groups (name, created, updated)
SELECT DISTINCT word, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
FROM split WHERE word <> '' ORDER BY word;

-- start, end and due are UTC timestamps; assignee_id or group_id says who does it. The agenda
-- reads a user's or a group's open tasks by due time: one index each, so that it never grows
-- with the tasks of others.
CREATE TABLE tasks (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	title       TEXT NOT NULL,
	type        TEXT NOT NULL,
	status      TEXT NOT NULL,
	priority    TEXT,
	start_at    TEXT,
	end_at      TEXT,
	due         TEXT,
	all_day     INTEGER,
	assignee_id INTEGER REFERENCES users(id) ON DELETE RESTRICT,
	group_id    INTEGER REFERENCES groups(id) ON DELETE RESTRICT,
	account_id  INTEGER REFERENCES accounts(id) ON DELETE RESTRICT,
	project_id  INTEGER REFERENCES projects(id) ON DELETE RESTRICT,
	ticket_id   INTEGER REFERENCES tickets(id) ON DELETE RESTRICT,
	contract_id INTEGER REFERENCES contracts(id) ON DELETE RESTRICT,
	activity_id INTEGER REFERENCES activities(id) ON DELETE RESTRICT,
	notes       TEXT,
	custom      TEXT CHECK (custom IS NULL OR json_valid(custom)),
	created     TEXT NOT NULL,
	updated     TEXT NOT NULL
);
CREATE INDEX tasks_assignee ON tasks(assignee_id, status COLLATE NOCASE, due);
CREATE INDEX tasks_group ON tasks(group_id, status COLLATE NOCASE, due);
CREATE INDEX tasks_account ON tasks(account_id);
CREATE INDEX tasks_project ON tasks(project_id);
CREATE INDEX tasks_ticket ON tasks(ticket_id);
CREATE INDEX tasks_contract ON tasks(contract_id);
CREATE INDEX tasks_activity ON tasks(activity_id);
CREATE INDEX tasks_due ON tasks(status COLLATE NOCASE, due);

CREATE TABLE task_contacts (
	record_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
	target_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE RESTRICT,
	PRIMARY KEY (record_id, target_id)
) WITHOUT ROWID;
CREATE INDEX task_contacts_target ON task_contacts(target_id);
