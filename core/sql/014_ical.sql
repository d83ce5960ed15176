-- Issue 11: the iCalendar UID of an event imported from an invitation (crm event import), so
-- that importing it again updates it instead of adding another.
ALTER TABLE tasks ADD COLUMN uid TEXT;
CREATE UNIQUE INDEX tasks_uid ON tasks(uid);
