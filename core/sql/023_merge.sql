-- Mail merge (issue 14.4): which contacts a merge run has already e-mailed, so that a run cut
-- short by --limit (or by a failure) continues with the others and never sends twice. `run`
-- names the template and the members' source ("letter.txt where:city:Cluj",
-- "letter.txt list:customers"); the activity is the `email` activity logged for the message.
CREATE TABLE merge_sent (
	run TEXT NOT NULL,
	contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	activity_id INTEGER,
	sent TEXT NOT NULL,
	PRIMARY KEY (run, contact_id)
);
