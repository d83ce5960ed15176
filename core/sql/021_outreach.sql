-- Outreach (issue 14): a contact's wishes not to be e-mailed or written to, honoured by
-- `contact email` (and later by lists and mail merge); and the outbox carries personal e-mail
-- too: its sender (a user's name and address) and the activity whose documents go with it as
-- attachments. A notification without them is a ticket's or an alert's, as before.
ALTER TABLE contacts ADD COLUMN do_not_email INTEGER; -- NULL: never said, which is no
ALTER TABLE contacts ADD COLUMN do_not_mail INTEGER;
ALTER TABLE notifications ADD COLUMN sender TEXT;
ALTER TABLE notifications ADD COLUMN activity_id INTEGER; -- no foreign key: the message outlives it
