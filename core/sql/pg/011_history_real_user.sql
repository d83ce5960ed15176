-- Who ran the command, beside whom it acted as (see core/sql/011_history_real_user.sql): NULL
-- when the same as "user".
ALTER TABLE history ADD COLUMN real_user text;
ALTER TABLE import_batches ADD COLUMN real_user text;
