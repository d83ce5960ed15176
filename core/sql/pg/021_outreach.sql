-- Outreach (issue 14): see core/sql/021_outreach.sql.
ALTER TABLE contacts ADD COLUMN do_not_email bigint DEFAULT 0;
ALTER TABLE contacts ADD COLUMN do_not_mail bigint DEFAULT 0;
ALTER TABLE notifications ADD COLUMN sender text;
ALTER TABLE notifications ADD COLUMN activity_id bigint;
