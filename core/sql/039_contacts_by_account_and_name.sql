-- Issue 9: `account show` and `contact list account:X` list an account's contacts by name. The
-- index on the account alone left them all to be sorted (20,000 of them for a large account,
-- two thirds of account show); by account, then name as contacts are ordered, they are read in
-- order. It replaces the index on the account alone, whose look-ups it serves as well, so an
-- import writes no more index entries than before.
DROP INDEX contacts_account;
CREATE INDEX contacts_account ON contacts(account_id, last_name COLLATE NOCASE, first_name COLLATE NOCASE);
