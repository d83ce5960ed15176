-- PostgreSQL: SQLite's migration 007_email_key.sql is folded into 001_base.sql here (a PostgreSQL
-- database starts at the current schema). The file keeps the numbers equal on both backends.
SELECT 1;
