-- Issue 11: who an event's invitation names (crm event import invite.ics): its ORGANIZER and
-- ATTENDEEs in their order, each by address, with the name, role and answer it gave, and the
-- contact or user of that address when there is one (e-mail compared as contacts' unique index
-- compares it). Those with no record are kept all the same, so that the export writes the
-- invitation back whole. Importing it again replaces the rows.
CREATE TABLE task_attendees (
	task_id    INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
	position   INTEGER NOT NULL,
	role       TEXT NOT NULL,
	email      TEXT NOT NULL,
	name       TEXT,
	status     TEXT,
	contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
	user_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
	PRIMARY KEY (task_id, position)
);
CREATE INDEX task_attendees_contact ON task_attendees(contact_id);
CREATE INDEX task_attendees_user ON task_attendees(user_id);
