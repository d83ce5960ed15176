-- Nothing to change on SQLite: crm_today(), the command's day (its clock: CRM_NOW or --now),
-- which a milestone's reached reads, is a C function registered on each connection
-- (core/store_sqlite.c). PostgreSQL's 038 defines it over the session.
SELECT 1;
