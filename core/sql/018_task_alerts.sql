-- Alerts for overdue tasks (issue 11, escalation) beside tickets' service-level alerts: an alert
-- is about a ticket (a target of its service level, once per opening: cycle) or about a task (its
-- due time, target 'due': once per lateness, so a due time moved on and missed again is another
-- alert). SQLite cannot relax NOT NULL in place: the table is rebuilt, numbers kept.
CREATE TEMP TABLE alerts_seq AS SELECT seq FROM sqlite_sequence WHERE name = 'alerts';
CREATE TABLE alerts_new (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	raised     TEXT NOT NULL,
	ticket_id  INTEGER REFERENCES tickets(id) ON DELETE CASCADE,
	task_id    INTEGER REFERENCES tasks(id) ON DELETE CASCADE,
	target     TEXT NOT NULL CHECK (target IN ('response', 'resolution', 'due')),
	cycle      INTEGER NOT NULL,
	due        TEXT NOT NULL,
	recipients TEXT NOT NULL,        -- logins, comma-separated
	acked      TEXT,
	acked_by   TEXT,
	UNIQUE (ticket_id, target, cycle),
	CHECK ((ticket_id IS NULL) <> (task_id IS NULL))
);
INSERT INTO alerts_new (id, raised, ticket_id, target, cycle, due, recipients, acked, acked_by)
	SELECT id, raised, ticket_id, target, cycle, due, recipients, acked, acked_by FROM alerts;
DROP TABLE alerts;
ALTER TABLE alerts_new RENAME TO alerts;
UPDATE sqlite_sequence SET seq = max(seq, coalesce((SELECT seq FROM temp.alerts_seq), 0)) WHERE name = 'alerts';
DROP TABLE temp.alerts_seq;
CREATE UNIQUE INDEX alerts_task ON alerts(task_id, due) WHERE task_id IS NOT NULL;
