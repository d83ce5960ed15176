-- Issue 11, the agenda benchmark: a user's or a group's open tasks by status and due time, and
-- then by start for the events that have no due time (a meeting is when it starts), so that the
-- agenda and the calendar search the window of a week or a month in the index alone instead of
-- reading every open event of the user's from the table. crm agenda --team walks users by
-- manager: an index for that too.
DROP INDEX tasks_assignee;
CREATE INDEX tasks_assignee ON tasks(assignee_id, status COLLATE NOCASE, due, start_at);
DROP INDEX tasks_group;
CREATE INDEX tasks_group ON tasks(group_id, status COLLATE NOCASE, due, start_at);
CREATE INDEX users_manager ON users(manager_id);
