-- Issue 11, point 6 and escalation: alerts for a project's late deliverables and milestones, and
-- the alert rules of project templates (project_templates.<name>.alerts). An alert is about one
-- of a ticket, a task, a deliverable or a milestone; rule is '' for crm's own escalation, else
-- the template rule that raised it ("<template>#<n>"): each is raised once per lateness (per due
-- date). A milestone marked reached keeps the day in reached_on (one that names no task or
-- deliverable is otherwise reached on its date). SQLite cannot change a CHECK in place: the
-- alerts table is rebuilt, numbers kept.
CREATE TEMP TABLE alerts_seq AS SELECT seq FROM sqlite_sequence WHERE name = 'alerts';
CREATE TABLE alerts_new (
	id             INTEGER PRIMARY KEY AUTOINCREMENT,
	raised         TEXT NOT NULL,
	ticket_id      INTEGER REFERENCES tickets(id) ON DELETE CASCADE,
	task_id        INTEGER REFERENCES tasks(id) ON DELETE CASCADE,
	deliverable_id INTEGER REFERENCES deliverables(id) ON DELETE CASCADE,
	milestone_id   INTEGER REFERENCES milestones(id) ON DELETE CASCADE,
	target         TEXT NOT NULL CHECK (target IN ('response', 'resolution', 'due')),
	rule           TEXT NOT NULL DEFAULT '',
	cycle          INTEGER NOT NULL,
	due            TEXT NOT NULL,
	recipients     TEXT NOT NULL,        -- logins, comma-separated
	acked          TEXT,
	acked_by       TEXT,
	UNIQUE (ticket_id, target, cycle),
	CHECK ((ticket_id IS NOT NULL) + (task_id IS NOT NULL) + (deliverable_id IS NOT NULL) + (milestone_id IS NOT NULL) = 1)
);
INSERT INTO alerts_new (id, raised, ticket_id, task_id, target, cycle, due, recipients, acked, acked_by)
	SELECT id, raised, ticket_id, task_id, target, cycle, due, recipients, acked, acked_by FROM alerts;
DROP TABLE alerts;
ALTER TABLE alerts_new RENAME TO alerts;
UPDATE sqlite_sequence SET seq = max(seq, coalesce((SELECT seq FROM temp.alerts_seq), 0)) WHERE name = 'alerts';
DROP TABLE temp.alerts_seq;
CREATE UNIQUE INDEX alerts_task ON alerts(task_id, due, rule) WHERE task_id IS NOT NULL;
CREATE UNIQUE INDEX alerts_deliverable ON alerts(deliverable_id, due, rule) WHERE deliverable_id IS NOT NULL;
CREATE UNIQUE INDEX alerts_milestone ON alerts(milestone_id, due, rule) WHERE milestone_id IS NOT NULL;
ALTER TABLE milestones ADD COLUMN reached_on TEXT;
