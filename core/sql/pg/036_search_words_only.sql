-- Issue 13: SQLite's search index keeps only the folded words from here on (core/sql/036).
-- PostgreSQL's keeps its label and body (a hit's snippet comes from them): nothing changes.
SELECT 1;
