-- PostgreSQL: a document's content (a large object) belongs to the schema owner, not to the login
-- that attached it. A large object can be unlinked only by its owner (or a superuser), so a crm
-- admin could not remove a document another login attached, nor could `db copy --force` clear
-- the database. crm_blob_new makes the large object as the schema owner (SECURITY DEFINER), at
-- its final size, readable by everyone who may use the database and writable by the login that
-- attaches it; the unlink trigger runs as the schema owner too.
CREATE FUNCTION crm_blob_new(size bigint) RETURNS oid LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	o oid;
BEGIN
	IF size < 0 THEN
		RAISE EXCEPTION 'a document size cannot be negative';
	END IF;
	o := lo_create(0);
	IF size > 0 THEN
		PERFORM lo_put(o, size - 1, decode('00', 'hex'));
	END IF;
	EXECUTE format('GRANT SELECT ON LARGE OBJECT %s TO PUBLIC', o);
	IF session_user <> current_user THEN
		EXECUTE format('GRANT UPDATE ON LARGE OBJECT %s TO %I', o, session_user);
	END IF;
	RETURN o;
END $$;

CREATE OR REPLACE FUNCTION crm_blobs_unlink() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_largeobject_metadata WHERE oid = old.content) THEN
		PERFORM lo_unlink(old.content);
	END IF;
	RETURN NULL;
END $$;

-- Documents attached before this migration: their large objects belong to the logins that
-- attached them. Each is copied (in 1 MB pieces, never whole in memory) into one the schema
-- owner owns; the old one is unlinked where this login may, else left to its owner.
DO $$
DECLARE
	b record;
	n oid;
	off bigint;
	piece bytea;
BEGIN
	FOR b IN SELECT blobs.id, blobs.content, blobs.size FROM blobs
		 JOIN pg_largeobject_metadata m ON m.oid = blobs.content
		 WHERE m.lomowner <> (SELECT oid FROM pg_roles WHERE rolname = current_user) LOOP
		n := lo_create(0);
		off := 0;
		LOOP
			piece := lo_get(b.content, off, 1048576);
			EXIT WHEN piece IS NULL OR length(piece) = 0;
			PERFORM lo_put(n, off, piece);
			off := off + length(piece);
		END LOOP;
		EXECUTE format('GRANT SELECT ON LARGE OBJECT %s TO PUBLIC', n);
		UPDATE blobs SET content = n WHERE id = b.id;
		BEGIN
			PERFORM lo_unlink(b.content);
		EXCEPTION WHEN insufficient_privilege THEN
			NULL;
		END;
	END LOOP;
END $$;
