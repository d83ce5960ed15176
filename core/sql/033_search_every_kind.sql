-- Issue 13: the search index holds products, opportunities, lists, transactions, financial
-- years, campaigns and offers (with their lines and sections) too. Nothing changes in the
-- schema: crossing this migration refills the index from the records (core/crm.c,
-- CRM_SEARCH_KINDS_MIGRATION).
SELECT 1;
