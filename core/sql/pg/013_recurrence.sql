-- PostgreSQL: SQLite's 014_recurrence.sql. Repeating tasks: the RRULE, and the number of the
-- series' first task on every later occurrence.
ALTER TABLE tasks ADD COLUMN rrule text;
ALTER TABLE tasks ADD COLUMN series_id bigint;
CREATE INDEX tasks_series ON tasks(series_id, due);
