-- Issue 9: an account's contacts in the order they are listed (last name, first name: citext,
-- so case-insensitively), read from the index rather than sorted; it replaces the index on the
-- account alone, whose look-ups it serves as well (SQLite's 039).
DROP INDEX contacts_account;
CREATE INDEX contacts_account ON contacts(account_id, last_name, first_name);
