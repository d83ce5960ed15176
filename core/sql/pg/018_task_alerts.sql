-- Alerts for overdue tasks (issue 11, escalation) beside tickets' service-level alerts: an alert
-- is about a ticket (a target of its service level, once per opening: cycle) or about a task (its
-- due time, target 'due': once per lateness).
ALTER TABLE alerts ALTER COLUMN ticket_id DROP NOT NULL;
ALTER TABLE alerts ADD COLUMN task_id bigint REFERENCES tasks(id) ON DELETE CASCADE;
ALTER TABLE alerts DROP CONSTRAINT alerts_target_check;
ALTER TABLE alerts ADD CONSTRAINT alerts_target_check CHECK (target IN ('response', 'resolution', 'due'));
ALTER TABLE alerts ADD CONSTRAINT alerts_about_one CHECK ((ticket_id IS NULL) <> (task_id IS NULL));
CREATE UNIQUE INDEX alerts_task ON alerts(task_id, due) WHERE task_id IS NOT NULL;
