-- PostgreSQL: SQLite's 014_ical.sql. The iCalendar UID of an imported event.
ALTER TABLE tasks ADD COLUMN uid text;
CREATE UNIQUE INDEX tasks_uid ON tasks(uid);
