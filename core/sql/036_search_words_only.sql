-- Issue 13: the search index keeps only the folded words (lterms, bterms), and one prefix
-- index (3 characters) instead of two. A row's number says whose it is (the record's number
-- times 32 plus its kind's code, core/search.c), and a hit's label and snippet are read from
-- the record itself: the copies of the label and body, the kind and number, and the 2- and
-- 3-character prefix indexes more than doubled what an import wrote for the index
-- (docs/PERFORMANCE.md). The 3-character index stays: a phrase ending in a short common word
-- ("...@example.com" ends in com*) otherwise reads every word that begins with it.
-- Crossing this migration refills the index (core/crm.c, CRM_SEARCH_WORDS_MIGRATION).
DROP TABLE search_index;
CREATE VIRTUAL TABLE search_index USING fts5(lterms, bterms, tokenize = 'unicode61 remove_diacritics 0', prefix = '3');
