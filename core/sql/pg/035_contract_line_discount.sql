-- PostgreSQL: SQLite's 035_contract_line_discount.sql. A contract line has a discount in
-- hundredths of a percent, as an offer line has, so that a contract made from an accepted offer
-- keeps its lines' discounts and its lines add up to the offer's net.
ALTER TABLE contract_lines ADD COLUMN discount bigint;
