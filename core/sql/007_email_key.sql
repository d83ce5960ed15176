-- E-mail addresses compare as their unique index (email COLLATE NOCASE) has always compared them,
-- ASCII case ignored, not folded: two addresses that differ by an accent are two mailboxes, and
-- a folded copy cost every imported contact a second random index insert. Migration 006's
-- contacts.email_fold goes; the full name (label_fold) stays.
DROP INDEX contacts_email_fold;
ALTER TABLE contacts DROP COLUMN email_fold;
