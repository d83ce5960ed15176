-- Who ran the command, beside whom it acted as (see core/sql/015_ticket_actions_real_user.sql):
-- NULL when the same as "user".
ALTER TABLE ticket_actions ADD COLUMN real_user text;
