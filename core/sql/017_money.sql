-- Exact money (issue 12): amounts were REAL (floating point); they become INTEGERs of minor units
-- of their currency (cents: EUR 2 digits, JPY 0, KWD 3; 2 when no currency is named), and a
-- contract line's quantity an INTEGER of thousandths. The double is rounded to 6 places of
-- minor units first, so that 19.99 (stored as 19.989999...) is 1999 and 1.005 (1.00499...) is
-- 101, as its writer meant, then half away from zero. Accounts and projects get a currency of
-- their own (NULL for existing rows: two decimals, no currency named); a cost's amount is in its
-- project's currency, a line's price in its contract's. SQLite cannot change a column's type:
-- each column is renamed, a new INTEGER one added and filled, and the old one dropped.
ALTER TABLE accounts ADD COLUMN currency TEXT;
ALTER TABLE projects ADD COLUMN currency TEXT;

ALTER TABLE accounts RENAME COLUMN credit_limit TO credit_limit_real;
ALTER TABLE accounts ADD COLUMN credit_limit INTEGER;
UPDATE accounts SET credit_limit = CAST(round(round(credit_limit_real * 100, 6)) AS INTEGER) WHERE credit_limit_real IS NOT NULL;
ALTER TABLE accounts DROP COLUMN credit_limit_real;

ALTER TABLE projects RENAME COLUMN income TO income_real;
ALTER TABLE projects ADD COLUMN income INTEGER;
UPDATE projects SET income = CAST(round(round(income_real * 100, 6)) AS INTEGER) WHERE income_real IS NOT NULL;
ALTER TABLE projects DROP COLUMN income_real;

ALTER TABLE project_costs RENAME COLUMN amount TO amount_real;
ALTER TABLE project_costs ADD COLUMN amount INTEGER NOT NULL DEFAULT 0;
UPDATE project_costs SET amount = CAST(round(round(amount_real * 100, 6)) AS INTEGER) WHERE amount_real IS NOT NULL;
ALTER TABLE project_costs DROP COLUMN amount_real;

ALTER TABLE contracts RENAME COLUMN value TO value_real;
ALTER TABLE contracts ADD COLUMN value INTEGER;
UPDATE contracts SET value = CAST(round(round(value_real * (CASE WHEN upper(currency) IN ('BIF','CLP','DJF','GNF','ISK','JPY','KMF','KRW','PYG','RWF','UGX','UYI','VND','VUV','XAF','XOF','XPF') THEN 1 WHEN upper(currency) IN ('BHD','IQD','JOD','KWD','LYD','OMR','TND') THEN 1000 WHEN upper(currency) IN ('CLF','UYW') THEN 10000 ELSE 100 END), 6)) AS INTEGER) WHERE value_real IS NOT NULL;
ALTER TABLE contracts DROP COLUMN value_real;

ALTER TABLE contract_lines RENAME COLUMN price TO price_real;
ALTER TABLE contract_lines ADD COLUMN price INTEGER;
UPDATE contract_lines SET price = CAST(round(round(price_real * (SELECT (CASE WHEN upper(c.currency) IN ('BIF','CLP','DJF','GNF','ISK','JPY','KMF','KRW','PYG','RWF','UGX','UYI','VND','VUV','XAF','XOF','XPF') THEN 1 WHEN upper(c.currency) IN ('BHD','IQD','JOD','KWD','LYD','OMR','TND') THEN 1000 WHEN upper(c.currency) IN ('CLF','UYW') THEN 10000 ELSE 100 END) FROM contracts c WHERE c.id = contract_lines.contract_id), 6)) AS INTEGER) WHERE price_real IS NOT NULL;
ALTER TABLE contract_lines DROP COLUMN price_real;

ALTER TABLE contract_lines RENAME COLUMN quantity TO quantity_real;
ALTER TABLE contract_lines ADD COLUMN quantity INTEGER;
UPDATE contract_lines SET quantity = CAST(round(round(quantity_real * 1000, 6)) AS INTEGER) WHERE quantity_real IS NOT NULL;
ALTER TABLE contract_lines DROP COLUMN quantity_real;
