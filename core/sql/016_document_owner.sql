-- SQLite: nothing to do. On PostgreSQL (core/sql/pg/016_document_owner.sql) a document's large
-- object is made and unlinked by SECURITY DEFINER functions, so that whoever may remove a
-- document can, whichever login attached it. The file keeps the numbers equal on both backends.
SELECT 1;
