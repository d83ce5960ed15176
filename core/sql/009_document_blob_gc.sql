-- A document's content goes with its last document, whatever removes the document: doc rm is
-- the generic rm (issue 8), so the rule lives with the data rather than in one verb.
CREATE TRIGGER documents_blob_gc AFTER DELETE ON documents
WHEN NOT EXISTS (SELECT 1 FROM documents WHERE blob_id = old.blob_id)
BEGIN
	DELETE FROM blobs WHERE id = old.blob_id;
END;
