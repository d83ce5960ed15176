-- Folded keys (core/fold.c): names, e-mails and other natural keys compared case- and
-- accent-insensitively in every script (ß and SS, Ș and ş, Ö and o, Ж and ж). The engine writes
-- them with every add and edit; crm_fold(), registered on every connection crm opens, fills
-- them here for the records already kept. A reference is resolved through these indexes, never
-- by a scan over an expression.

ALTER TABLE accounts ADD COLUMN name_fold TEXT;
UPDATE accounts SET name_fold = crm_fold(name);
CREATE INDEX accounts_name_fold ON accounts(name_fold);

ALTER TABLE locations ADD COLUMN name_fold TEXT;
UPDATE locations SET name_fold = crm_fold(name);
CREATE INDEX locations_name_fold ON locations(name_fold);

ALTER TABLE contacts ADD COLUMN email_fold TEXT;
ALTER TABLE contacts ADD COLUMN label_fold TEXT;
UPDATE contacts SET email_fold = crm_fold(email),
	label_fold = crm_fold(coalesce(first_name, '') || ' ' || coalesce(last_name, ''));
CREATE INDEX contacts_email_fold ON contacts(email_fold);
CREATE INDEX contacts_label_fold ON contacts(label_fold);

ALTER TABLE projects ADD COLUMN name_fold TEXT;
UPDATE projects SET name_fold = crm_fold(name);
CREATE INDEX projects_name_fold ON projects(name_fold);

ALTER TABLE contracts ADD COLUMN title_fold TEXT;
UPDATE contracts SET title_fold = crm_fold(title);
CREATE INDEX contracts_title_fold ON contracts(title_fold);

-- `status:open` compares case-insensitively (COLLATE NOCASE), which a binary index cannot serve:
-- the tickets were scanned. The index now has the comparison's collation, and the opening time
-- after it: `alert run` reads the open tickets opened at least the shortest target ago.
DROP INDEX tickets_status;
CREATE INDEX tickets_status ON tickets(status COLLATE NOCASE, opened);

-- A contact's, project's or contract's tickets (filters, and the check before removing one).
CREATE INDEX tickets_contact ON tickets(contact_id);
CREATE INDEX tickets_project ON tickets(project_id);
CREATE INDEX tickets_contract ON tickets(contract_id);
