-- PostgreSQL: SQLite's 037_plan_alerts.sql. Alerts for a project's late deliverables and
-- milestones and the alert rules of project templates: an alert is about one of a ticket, a
-- task, a deliverable or a milestone; rule is '' for crm's own escalation, else the template
-- rule that raised it; each once per lateness. milestones.reached_on: the day it was marked reached.
ALTER TABLE alerts ADD COLUMN deliverable_id bigint REFERENCES deliverables(id) ON DELETE CASCADE;
ALTER TABLE alerts ADD COLUMN milestone_id bigint REFERENCES milestones(id) ON DELETE CASCADE;
ALTER TABLE alerts ADD COLUMN rule text NOT NULL DEFAULT '';
ALTER TABLE alerts DROP CONSTRAINT alerts_about_one;
ALTER TABLE alerts ADD CONSTRAINT alerts_about_one CHECK ((ticket_id IS NOT NULL)::int + (task_id IS NOT NULL)::int
	+ (deliverable_id IS NOT NULL)::int + (milestone_id IS NOT NULL)::int = 1);
DROP INDEX alerts_task;
CREATE UNIQUE INDEX alerts_task ON alerts(task_id, due, rule) WHERE task_id IS NOT NULL;
CREATE UNIQUE INDEX alerts_deliverable ON alerts(deliverable_id, due, rule) WHERE deliverable_id IS NOT NULL;
CREATE UNIQUE INDEX alerts_milestone ON alerts(milestone_id, due, rule) WHERE milestone_id IS NOT NULL;
ALTER TABLE milestones ADD COLUMN reached_on text;
