-- Issue 13: the search index writes a custom number as list and show print it (43, not 43.0)
-- and a custom yes-or-no as yes or no (not 1 or 0). Nothing changes in the schema: crossing
-- this migration refills the index from the records (core/crm.c, CRM_SEARCH_VALUES_MIGRATION).
SELECT 1;
