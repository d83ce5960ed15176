-- Exact money (issue 12), as core/sql/017_money.sql says: amounts become bigints of minor units
-- of their currency, a line's quantity a bigint of thousandths. A double converts to numeric
-- through its 15 significant digits (19.99 is 19.99, 1.005 is 1.005), and numeric's round() goes
-- half away from zero.
ALTER TABLE accounts ADD COLUMN currency text;
ALTER TABLE projects ADD COLUMN currency text;
ALTER TABLE accounts ALTER COLUMN credit_limit TYPE bigint USING round(credit_limit::numeric * 100);
ALTER TABLE projects ALTER COLUMN income TYPE bigint USING round(income::numeric * 100);
ALTER TABLE project_costs ALTER COLUMN amount TYPE bigint USING round(amount::numeric * 100);
ALTER TABLE contracts ALTER COLUMN value TYPE bigint USING round(value::numeric * (CASE WHEN upper(currency) IN ('BIF','CLP','DJF','GNF','ISK','JPY','KMF','KRW','PYG','RWF','UGX','UYI','VND','VUV','XAF','XOF','XPF') THEN 1 WHEN upper(currency) IN ('BHD','IQD','JOD','KWD','LYD','OMR','TND') THEN 1000 WHEN upper(currency) IN ('CLF','UYW') THEN 10000 ELSE 100 END));
ALTER TABLE contract_lines ALTER COLUMN quantity TYPE bigint USING round(quantity::numeric * 1000);
-- A line's price is in its contract's currency: a transform cannot look there, an UPDATE can.
ALTER TABLE contract_lines ADD COLUMN price_minor bigint;
UPDATE contract_lines SET price_minor = round(price::numeric * (SELECT (CASE WHEN upper(c.currency) IN ('BIF','CLP','DJF','GNF','ISK','JPY','KMF','KRW','PYG','RWF','UGX','UYI','VND','VUV','XAF','XOF','XPF') THEN 1 WHEN upper(c.currency) IN ('BHD','IQD','JOD','KWD','LYD','OMR','TND') THEN 1000 WHEN upper(c.currency) IN ('CLF','UYW') THEN 10000 ELSE 100 END) FROM contracts c WHERE c.id = contract_lines.contract_id));
ALTER TABLE contract_lines DROP COLUMN price;
ALTER TABLE contract_lines RENAME COLUMN price_minor TO price;
