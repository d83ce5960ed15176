-- PostgreSQL: SQLite's migration 008_autoincrement.sql is folded into 001_base.sql here (a PostgreSQL
-- database starts at the current schema). The file keeps the numbers equal on both backends.
SELECT 1;
