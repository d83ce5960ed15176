-- PostgreSQL: SQLite's 031_transaction_offer.sql. Issue 15, point 1: a transaction links to a
-- contract or an offer (the offer it bills, or a deposit paid on it).
ALTER TABLE transactions ADD COLUMN offer_id bigint REFERENCES offers(id) ON DELETE RESTRICT;
CREATE INDEX transactions_offer ON transactions(offer_id);
