-- PostgreSQL: SQLite's 032_event_attendees.sql. Issue 11: who an event's invitation names, its
-- ORGANIZER and ATTENDEEs in order, with the contact or user of each address when there is one;
-- those with no record kept all the same.
CREATE TABLE task_attendees (
	task_id    bigint NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
	position   bigint NOT NULL,
	role       text NOT NULL,
	email      text NOT NULL,
	name       text,
	status     text,
	contact_id bigint REFERENCES contacts(id) ON DELETE SET NULL,
	user_id    bigint REFERENCES users(id) ON DELETE SET NULL,
	PRIMARY KEY (task_id, position)
);
CREATE INDEX task_attendees_contact ON task_attendees(contact_id);
CREATE INDEX task_attendees_user ON task_attendees(user_id);
