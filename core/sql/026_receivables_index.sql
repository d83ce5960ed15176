-- Issue 15: the receivables index covers what the walk over every account reads (account,
-- currency, due date, date, number, status, type, amount, the invoice paid), so crm report
-- receivables never visits the table; one account's walk searches it by account_id.
DROP INDEX transactions_receivables;
CREATE INDEX transactions_receivables ON transactions(account_id, currency, due_date, date, id, status, type, amount,
						       applies_to_id);
