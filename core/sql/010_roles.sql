-- Role definitions kept in the database (crm user role add|edit|rm), beside the built-in ones and
-- those of the system configuration: a user's own configuration file may not define roles
-- (whoever writes it could grant themselves anything), so this is where an admin defines them
-- without root. A definition here replaces one of the same name from the configuration.
-- grants: the permission patterns, comma-separated ("account.*,contact.add").

CREATE TABLE roles (
	id      INTEGER PRIMARY KEY AUTOINCREMENT,
	name    TEXT NOT NULL UNIQUE,
	grants  TEXT NOT NULL DEFAULT '',
	created TEXT NOT NULL,
	updated TEXT NOT NULL
);
