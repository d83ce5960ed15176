-- Who ran the command, beside whom it acted as, for a ticket's actions (opened, commented,
-- moved on...) as for history (011): NULL when the same as "user", as in every row written
-- before this migration.
ALTER TABLE ticket_actions ADD COLUMN real_user TEXT;
