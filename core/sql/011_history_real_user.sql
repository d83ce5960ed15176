-- Who ran the command, beside whom it acted as: with --as (or CRM_USER, user:) an admin acts as
-- another user and history.user names that user; real_user names the system login (on
-- PostgreSQL the database login) that ran it. NULL when the two are the same, as in every row
-- written before this migration. The same for an import's batch, whose adds are shown from it.
ALTER TABLE history ADD COLUMN real_user TEXT;
ALTER TABLE import_batches ADD COLUMN real_user TEXT;
