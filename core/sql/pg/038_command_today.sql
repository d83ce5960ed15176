-- PostgreSQL: SQLite's 038_command_today.sql. crm_today(), the command's day (its clock: CRM_NOW
-- or --now), which a milestone's reached reads: the session's crm.today, set with crm.now when
-- the database is opened and whenever the command moves its clock (core/ticket.c); the server's
-- day in a session that has not set it.
CREATE FUNCTION crm_today() RETURNS text LANGUAGE sql STABLE
	RETURN coalesce(nullif(current_setting('crm.today', true), ''), to_char(current_date, 'YYYY-MM-DD'));
