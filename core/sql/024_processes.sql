-- Issue 11, point 5: task processes. A run of a process (processes.<name> in the configuration)
-- is one row here; each of its steps is a task carrying the run's number and the step's
-- (process_id, process_step), unique together: completing step n makes step n+1 once, however
-- often it is done. `step` is the last step made, `steps` how many the process had when it
-- started. The records a run concerns are plain numbers (as series_id is): removing one leaves
-- the run as it was. tasks.approval: yes for a task that is done only through approval.
CREATE TABLE process_runs (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	name        TEXT NOT NULL,
	steps       INTEGER NOT NULL,
	step        INTEGER NOT NULL,
	account_id  INTEGER,
	contact_id  INTEGER,
	project_id  INTEGER,
	ticket_id   INTEGER,
	activity_id INTEGER,
	started_by  TEXT,
	created     TEXT NOT NULL,
	updated     TEXT NOT NULL
);
CREATE INDEX process_runs_name ON process_runs(name);
ALTER TABLE tasks ADD COLUMN process_id INTEGER;
ALTER TABLE tasks ADD COLUMN process_step INTEGER;
ALTER TABLE tasks ADD COLUMN approval INTEGER;
CREATE UNIQUE INDEX tasks_process_step ON tasks(process_id, process_step);
