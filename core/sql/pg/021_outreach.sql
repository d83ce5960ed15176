-- Outreach (issue 14): see core/sql/021_outreach.sql.
ALTER TABLE contacts ADD COLUMN do_not_email bigint;
ALTER TABLE contacts ADD COLUMN do_not_mail bigint;
ALTER TABLE notifications ADD COLUMN sender text;
ALTER TABLE notifications ADD COLUMN activity_id bigint;
