-- Issue 11, point 6: project templates and plans. A plan is a project's tasks (tasks.project_id),
-- its deliverables and its milestones, made at once from project_templates.<name> by
-- crm project add --template. A task waits for the tasks in task_after (record_id waits for
-- target_id): it stays 'waiting' until each of them is done or cancelled (the workflow effect
-- plan of workflow.task releases it). A deliverable's status follows workflow.deliverable; a
-- milestone is reached when every task and deliverable it names is finished. projects.template
-- names the template a project's plan came from.
CREATE TABLE task_after (
	record_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
	target_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE RESTRICT,
	PRIMARY KEY (record_id, target_id)
) WITHOUT ROWID;
CREATE INDEX task_after_target ON task_after(target_id);

CREATE TABLE deliverables (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	name       TEXT NOT NULL,
	project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE RESTRICT,
	status     TEXT NOT NULL,
	due        TEXT,
	owner_id   INTEGER REFERENCES users(id) ON DELETE RESTRICT,
	notes      TEXT,
	custom     TEXT CHECK (custom IS NULL OR json_valid(custom)),
	created    TEXT NOT NULL,
	updated    TEXT NOT NULL
);
CREATE INDEX deliverables_project ON deliverables(project_id);
CREATE INDEX deliverables_owner ON deliverables(owner_id);
CREATE INDEX deliverables_due ON deliverables(status COLLATE NOCASE, due);

CREATE TABLE milestones (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	name       TEXT NOT NULL,
	project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE RESTRICT,
	due        TEXT,
	notes      TEXT,
	custom     TEXT CHECK (custom IS NULL OR json_valid(custom)),
	created    TEXT NOT NULL,
	updated    TEXT NOT NULL
);
CREATE INDEX milestones_project ON milestones(project_id);

CREATE TABLE milestone_tasks (
	record_id INTEGER NOT NULL REFERENCES milestones(id) ON DELETE CASCADE,
	target_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE RESTRICT,
	PRIMARY KEY (record_id, target_id)
) WITHOUT ROWID;
CREATE INDEX milestone_tasks_target ON milestone_tasks(target_id);

CREATE TABLE milestone_deliverables (
	record_id INTEGER NOT NULL REFERENCES milestones(id) ON DELETE CASCADE,
	target_id INTEGER NOT NULL REFERENCES deliverables(id) ON DELETE RESTRICT,
	PRIMARY KEY (record_id, target_id)
) WITHOUT ROWID;
CREATE INDEX milestone_deliverables_target ON milestone_deliverables(target_id);

ALTER TABLE projects ADD COLUMN template TEXT;
