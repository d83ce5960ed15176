-- Issue 11: repeating tasks. rrule is the RFC 5545 rule (libical checked it); series_id the
-- number of the series' first task, on every later occurrence: completing one looks up the next
-- by (series_id, due) before making it, so it is made once. A plain number, not a reference:
-- removing the first task leaves the series as it is.
ALTER TABLE tasks ADD COLUMN rrule TEXT;
ALTER TABLE tasks ADD COLUMN series_id INTEGER;
CREATE INDEX tasks_series ON tasks(series_id, due);
