-- PostgreSQL: SQLite's 030_agenda_index.sql. Issue 11, the agenda benchmark: a user's or a
-- group's open tasks by status and due time, then by start for the events that have no due time,
-- so that the agenda and the calendar search the window in the index; and users by manager for
-- crm agenda --team.
DROP INDEX tasks_assignee;
CREATE INDEX tasks_assignee ON tasks(assignee_id, status, due, start_at);
DROP INDEX tasks_group;
CREATE INDEX tasks_group ON tasks(group_id, status, due, start_at);
CREATE INDEX users_manager ON users(manager_id);
