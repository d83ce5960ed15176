-- PostgreSQL: the whole schema as SQLite has it after migration 009 (a PostgreSQL database
-- starts at the current schema; 002..009 are folded into this file and are empty here), plus
-- the SQLite functions the core's SQL calls, under SQLite's names and with SQLite's meaning.
--
-- What the backend (core/store_pg.c) translates in the core's SQL text: ? and ?N placeholders to
-- $n, COLLATE NOCASE removed, INSERT OR IGNORE to ON CONFLICT DO NOTHING, LIKE to ILIKE.
-- Everything else works through this schema:
--   * case-insensitive columns (declared COLLATE NOCASE in SQLite, or compared so by the core:
--     pick-list values, statuses, sort keys) are citext. A citext column compares
--     case-insensitively with a citext or an untyped ($n without a type) value; compared with a
--     value typed text it compares as text, case-sensitively: parameters go untyped.
--   * JSON is kept as text, as in SQLite (key order and duplicates kept); the json_* functions
--     below read and write it; json_array() and json_object() return json so that one nests in
--     the other as SQLite's JSON subtype does; ->> on text takes SQLite's paths ('$.a', '$[0]').
--   * a document's content is a large object (blobs.content is its oid), written and read
--     through lo_* by the backend; it is unlinked when its blobs row goes.
-- Timestamps are UTC ISO 8601 text, dates YYYY-MM-DD text, as on SQLite.

CREATE EXTENSION IF NOT EXISTS citext;   -- trusted: a database owner may create it
CREATE EXTENSION IF NOT EXISTS unaccent; -- trusted

-- ------------------------------------------------------------------ SQLite's functions

-- instr(haystack, needle): 1-based position, 0 when absent, NULL when either is NULL.
CREATE FUNCTION instr(text, text) RETURNS integer
	LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN strpos($1, $2);

CREATE FUNCTION ifnull(anycompatible, anycompatible) RETURNS anycompatible
	LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT coalesce($1, $2) $$;

-- Scalar min(a, b) and max(a, b): NULL when any argument is NULL (least/greatest skip NULLs).
CREATE FUNCTION min(anycompatible, anycompatible) RETURNS anycompatible
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	AS $$ SELECT CASE WHEN $1 IS NULL OR $2 IS NULL THEN NULL ELSE least($1, $2) END $$;
CREATE FUNCTION max(anycompatible, anycompatible) RETURNS anycompatible
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	AS $$ SELECT CASE WHEN $1 IS NULL OR $2 IS NULL THEN NULL ELSE greatest($1, $2) END $$;
CREATE FUNCTION min(anycompatible, anycompatible, anycompatible) RETURNS anycompatible
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	AS $$ SELECT CASE WHEN $1 IS NULL OR $2 IS NULL OR $3 IS NULL THEN NULL ELSE least($1, $2, $3) END $$;
CREATE FUNCTION max(anycompatible, anycompatible, anycompatible) RETURNS anycompatible
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	AS $$ SELECT CASE WHEN $1 IS NULL OR $2 IS NULL OR $3 IS NULL THEN NULL ELSE greatest($1, $2, $3) END $$;

-- group_concat(x) and group_concat(x, sep): NULLs skipped, ',' by default, NULL over no rows;
-- values in the order the rows come (order the subquery, as on SQLite).
CREATE FUNCTION crm_group_concat_step(acc text, v anyelement, sep text) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	AS $$ SELECT CASE WHEN v IS NULL THEN acc WHEN acc IS NULL THEN v::text
		    ELSE acc || coalesce(sep, '') || v::text END $$;
CREATE FUNCTION crm_group_concat_step(acc text, v anyelement) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	AS $$ SELECT CASE WHEN v IS NULL THEN acc WHEN acc IS NULL THEN v::text ELSE acc || ',' || v::text END $$;
CREATE AGGREGATE group_concat(anyelement, text) (SFUNC = crm_group_concat_step, STYPE = text);
CREATE AGGREGATE group_concat(anyelement) (SFUNC = crm_group_concat_step, STYPE = text);

-- glob(pattern, value), SQLite's function form of `value GLOB pattern`: case-sensitive, * any
-- run, ? one character, [...] a set ([^...] or [!...] its complement). PostgreSQL has no GLOB
-- operator: the core writes glob(?, expr) where it needs one on both backends.
CREATE FUNCTION crm_glob_regex(pattern text) RETURNS text
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT AS $$
DECLARE
	re text := '^';
	i int := 1;
	n int := length(pattern);
	c text;
	j int;
BEGIN
	WHILE i <= n LOOP
		c := substr(pattern, i, 1);
		IF c = '*' THEN
			re := re || '.*';
		ELSIF c = '?' THEN
			re := re || '.';
		ELSIF c = '[' AND strpos(substr(pattern, i + 2), ']') > 0 THEN
			j := i + 1 + strpos(substr(pattern, i + 2), ']'); -- the closing ] (a ] first is literal)
			re := re || '[' || CASE WHEN substr(pattern, i + 1, 1) = '!' THEN '^' || substr(pattern, i + 2, j - i - 2)
						ELSE substr(pattern, i + 1, j - i - 1) END || ']';
			i := j;
		ELSE
			re := re || regexp_replace(c, '([.^$*+?()\[\]{}|\\])', '\\\1', 'g');
		END IF;
		i := i + 1;
	END LOOP;
	RETURN re || '$';
END $$;
CREATE FUNCTION glob(pattern text, value text) RETURNS boolean
	LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
	RETURN value ~ crm_glob_regex(pattern);

-- crm_fold(text): core/fold.c's folded key, as closely as PostgreSQL allows: lower case,
-- accents off (unaccent), ß to ss, final sigma and long s as GLib folds them, white space runs
-- (Unicode spaces too) squeezed to one space and trimmed. Differences from GLib's casefold +
-- NFKD-without-marks: unaccent also maps letters that NFKD keeps whole (æ to ae, ø to o,
-- ł to l, đ to d, œ to oe, þ to th) and knows only the marks its rules list (Latin, Greek,
-- Cyrillic: a rarer script's combining marks stay); lower() is Unicode's simple lowercase
-- (ICU's when the server has it), not full case folding (ŉ, ǰ and the like differ). Keys folded
-- here are compared with keys folded here: the same database never mixes the two.
DO $$
DECLARE
	coll text := CASE WHEN EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu')
			  THEN ' COLLATE "und-x-icu"' ELSE '' END;
BEGIN
	EXECUTE format($f$
CREATE FUNCTION crm_fold(s text) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
	RETURN btrim(regexp_replace(
		public.unaccent('public.unaccent'::regdictionary,
			translate(replace(lower(s%s), 'ß', 'ss'), 'ςſ', 'σs')),
		'[\s\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+', ' ', 'g'), ' ')
$f$, coll);
END $$;

-- ------------------------------------------------------------------ SQLite's date functions

-- The instant a SQLite time value names, as a UTC timestamp, with SQLite's modifiers applied
-- ('localtime', 'utc', 'start of day|month|year', '+N days|hours|minutes|seconds|months|years',
-- 'weekday N'); NULL for what SQLite cannot read. 'localtime' is the session's TimeZone, which
-- the backend sets from the process's TZ.
CREATE FUNCTION crm_sqlite_time(v text, mods text[]) RETURNS timestamp
	LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
	t timestamp;
	m text;
	a text[];
BEGIN
	IF v IS NULL THEN
		RETURN NULL;
	END IF;
	BEGIN
		IF lower(v) = 'now' THEN
			t := now() AT TIME ZONE 'UTC';
		ELSIF v ~ '^-?\d+(\.\d+)?$' THEN
			t := CASE WHEN v::numeric > 10000000 THEN to_timestamp(v::double precision) AT TIME ZONE 'UTC'
				  ELSE timestamp '4714-11-24 12:00:00 BC' + (v::double precision * interval '1 day') END;
		ELSIF v ~ '^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d+)?)?)?\s*$' THEN
			t := v::timestamp;
		ELSIF v ~ '^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?\s*(Z|z|[+-]\d\d:?\d\d)$' THEN
			t := v::timestamptz AT TIME ZONE 'UTC';
		ELSIF v ~ '^\d\d:\d\d(:\d\d(\.\d+)?)?$' THEN
			t := ('2000-01-01 ' || v)::timestamp;
		ELSE
			RETURN NULL;
		END IF;
	EXCEPTION WHEN OTHERS THEN
		RETURN NULL;
	END;
	FOREACH m IN ARRAY coalesce(mods, '{}') LOOP
		m := lower(btrim(m));
		IF m = 'localtime' THEN
			t := (t AT TIME ZONE 'UTC') AT TIME ZONE current_setting('TimeZone');
		ELSIF m = 'utc' THEN
			t := (t AT TIME ZONE current_setting('TimeZone')) AT TIME ZONE 'UTC';
		ELSIF m = 'start of day' THEN
			t := date_trunc('day', t);
		ELSIF m = 'start of month' THEN
			t := date_trunc('month', t);
		ELSIF m = 'start of year' THEN
			t := date_trunc('year', t);
		ELSIF m ~ '^weekday [0-6]$' THEN
			t := t + ((substr(m, 9)::int - extract(dow FROM t)::int + 7) % 7) * interval '1 day';
		ELSIF m ~ '^[+-]?\d+(\.\d+)? *(day|hour|minute|second|month|year)s?$' THEN
			a := regexp_match(m, '^([+-]?\d+(?:\.\d+)?) *(day|hour|minute|second|month|year)s?$');
			t := t + a[1]::numeric * ('1 ' || a[2])::interval;
		ELSE
			RETURN NULL;
		END IF;
	END LOOP;
	RETURN t;
END $$;

-- (time() and a one-argument date() of a literal are PostgreSQL's own syntax: time(x) is the
-- type, date('...') a cast to date. date(column) and date(x, modifier) call this.)
CREATE FUNCTION date(v text, VARIADIC mods text[] DEFAULT '{}') RETURNS text
	LANGUAGE sql STABLE PARALLEL SAFE
	RETURN to_char(crm_sqlite_time(v, mods), 'YYYY-MM-DD');
CREATE FUNCTION datetime(v text, VARIADIC mods text[] DEFAULT '{}') RETURNS text
	LANGUAGE sql STABLE PARALLEL SAFE
	RETURN to_char(crm_sqlite_time(v, mods), 'YYYY-MM-DD HH24:MI:SS');
CREATE FUNCTION julianday(v text, VARIADIC mods text[] DEFAULT '{}') RETURNS double precision
	LANGUAGE sql STABLE PARALLEL SAFE
	RETURN extract(epoch FROM crm_sqlite_time(v, mods) - timestamp '4714-11-24 12:00:00 BC') / 86400.0;
CREATE FUNCTION unixepoch(v text, VARIADIC mods text[] DEFAULT '{}') RETURNS bigint
	LANGUAGE sql STABLE PARALLEL SAFE
	RETURN floor(extract(epoch FROM crm_sqlite_time(v, mods) AT TIME ZONE 'UTC'))::bigint;

-- ------------------------------------------------------------------ SQLite's JSON functions

CREATE FUNCTION json_valid(j text) RETURNS boolean
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
	IF j IS NULL THEN
		RETURN NULL;
	END IF;
	PERFORM j::json;
	RETURN true;
EXCEPTION WHEN OTHERS THEN
	RETURN false;
END $$;

-- A value as a JSON text: NULL is null, text a JSON string; json (another json_* function's
-- result, SQLite's JSON subtype) goes in as it is.
CREATE FUNCTION crm_json_value(v text) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN coalesce(to_json(v)::text, 'null');

-- json_array(v, ...): compact, as SQLite writes it. Values are text (parameters go untyped).
CREATE FUNCTION json_array(VARIADIC v text[] DEFAULT '{}') RETURNS json
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN ('[' || coalesce((SELECT string_agg(crm_json_value(e), ',' ORDER BY i)
				 FROM unnest(v) WITH ORDINALITY AS u(e, i)), '') || ']')::json;

-- json_object(k, v, ...) with text values, and with json values (json_array's or
-- json_object's: history rows are json_object(key, json_array(old, new), ...)).
CREATE FUNCTION json_object(VARIADIC kv text[] DEFAULT '{}') RETURNS json
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
	out text := '';
BEGIN
	IF coalesce(array_length(kv, 1), 0) % 2 <> 0 THEN
		RAISE EXCEPTION 'json_object() requires an even number of arguments';
	END IF;
	FOR i IN 1 .. coalesce(array_length(kv, 1), 0) BY 2 LOOP
		IF kv[i] IS NULL THEN
			RAISE EXCEPTION 'json_object() labels must be TEXT';
		END IF;
		out := out || CASE WHEN i > 1 THEN ',' ELSE '' END || to_json(kv[i])::text || ':' || crm_json_value(kv[i + 1]);
	END LOOP;
	RETURN ('{' || out || '}')::json;
END $$;
CREATE FUNCTION crm_json_object_json(k text[], v json[]) RETURNS json
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN ('{' || coalesce((SELECT string_agg(to_json(k[i])::text || ':' || coalesce(v[i]::text, 'null'), ',' ORDER BY i)
				 FROM generate_subscripts(k, 1) AS i), '') || '}')::json;
-- json_object(text, json, text, json, ...) for 1 to 40 pairs (core/record.c's JSON_PAIRS):
-- a function taking "any" needs C, which a database owner may not install.
DO $$
DECLARE
	args text;
	ks text;
	vs text;
BEGIN
	FOR n IN 1 .. 40 LOOP
		SELECT string_agg(format('k%s text, v%s json', i, i), ', ' ORDER BY i),
		       string_agg(format('k%s', i), ', ' ORDER BY i), string_agg(format('v%s', i), ', ' ORDER BY i)
		  INTO args, ks, vs FROM generate_series(1, n) AS i;
		EXECUTE format('CREATE FUNCTION json_object(%s) RETURNS json LANGUAGE sql IMMUTABLE PARALLEL SAFE '
			       'RETURN crm_json_object_json(ARRAY[%s]::text[], ARRAY[%s]::json[])', args, ks, vs);
	END LOOP;
END $$;

-- SQLite's JSON path ('$', '$.a', '$."a b"', '$[0]', '$.a[2].b', or a bare label) as a path array.
CREATE FUNCTION crm_json_path(p text) RETURNS text[]
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT AS $$
DECLARE
	out text[] := '{}';
	m text[];
BEGIN
	IF left(p, 1) <> '$' THEN
		RETURN ARRAY[p];
	END IF;
	p := substr(p, 2);
	WHILE p <> '' LOOP
		IF p ~ '^\.".*?"' THEN
			m := regexp_match(p, '^\."(.*?)"');
		ELSIF p ~ '^\.[^.\[]+' THEN
			m := regexp_match(p, '^\.([^.\[]+)');
		ELSIF p ~ '^\[#?-?\d+\]' THEN
			m := regexp_match(p, '^\[(#?-?\d+)\]');
			IF m[1] ~ '^#-\d+$' THEN
				m[1] := substr(m[1], 2);
			END IF;
			out := out || m[1];
			p := substr(p, length(m[1]) + 3);
			CONTINUE;
		ELSE
			RAISE EXCEPTION 'bad JSON path: %', p;
		END IF;
		out := out || m[1];
		p := substr(p, length(regexp_substr(p, CASE WHEN left(p, 2) = '."' THEN '^\.".*?"' ELSE '^\.[^.\[]+' END)) + 1);
	END LOOP;
	RETURN out;
END $$;

-- A JSON value as SQLite's ->> and json_extract give it: strings unquoted, true 1, false 0,
-- null NULL, numbers and containers as their JSON text.
CREATE FUNCTION crm_json_sql(j json) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN CASE json_typeof(j) WHEN 'string' THEN j #>> '{}' WHEN 'boolean' THEN
		CASE WHEN j::text = 'true' THEN '1' ELSE '0' END WHEN 'null' THEN NULL ELSE j::text END;

CREATE FUNCTION crm_json_extract_text(j text, p text) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
	RETURN crm_json_sql(j::json #> crm_json_path(p));
CREATE FUNCTION crm_json_extract_text(j text, i integer) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
	RETURN crm_json_sql(j::json #> ARRAY[i::text]);
CREATE FUNCTION json_extract(j text, p text) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT RETURN crm_json_extract_text(j, p);
-- text ->> path and text ->> index, as SQLite's (PostgreSQL's own are on json and jsonb).
CREATE OPERATOR ->> (LEFTARG = text, RIGHTARG = text, FUNCTION = crm_json_extract_text);
CREATE OPERATOR ->> (LEFTARG = text, RIGHTARG = integer, FUNCTION = crm_json_extract_text);

-- json_each(j): the top-level members of an object or elements of an array, with SQLite's
-- columns (value as SQLite gives it: crm_json_sql; id in document order).
CREATE FUNCTION json_each(j text)
	RETURNS TABLE (key text, value text, type text, atom text, id bigint, parent bigint, fullkey text, path text)
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
	IF j IS NULL THEN
		RETURN;
	END IF;
	IF json_typeof(j::json) = 'object' THEN
		RETURN QUERY SELECT e.key, crm_json_sql(e.value),
			CASE json_typeof(e.value) WHEN 'string' THEN 'text' WHEN 'boolean' THEN e.value::text
				WHEN 'number' THEN CASE WHEN e.value::text ~ '^-?\d+$' THEN 'integer' ELSE 'real' END
				ELSE json_typeof(e.value) END,
			CASE WHEN json_typeof(e.value) IN ('object', 'array') THEN NULL ELSE crm_json_sql(e.value) END,
			o, NULL::bigint,
			'$.' || CASE WHEN e.key ~ '^[A-Za-z_][A-Za-z0-9_]*$' THEN e.key ELSE to_json(e.key)::text END, '$'
		FROM json_each(j::json) WITH ORDINALITY AS e(key, value, o);
	ELSIF json_typeof(j::json) = 'array' THEN
		RETURN QUERY SELECT (e.o - 1)::text, crm_json_sql(e.value),
			CASE json_typeof(e.value) WHEN 'string' THEN 'text' WHEN 'boolean' THEN e.value::text
				WHEN 'number' THEN CASE WHEN e.value::text ~ '^-?\d+$' THEN 'integer' ELSE 'real' END
				ELSE json_typeof(e.value) END,
			CASE WHEN json_typeof(e.value) IN ('object', 'array') THEN NULL ELSE crm_json_sql(e.value) END,
			e.o, NULL::bigint, '$[' || (e.o - 1) || ']', '$'
		FROM json_array_elements(j::json) WITH ORDINALITY AS e(value, o);
	ELSE
		RETURN QUERY SELECT NULL::text, crm_json_sql(j::json), json_typeof(j::json), crm_json_sql(j::json),
			1::bigint, NULL::bigint, '$'::text, '$'::text;
	END IF;
END $$;

-- json_patch(target, patch): RFC 7396 merge patch (null removes a member), keeping the
-- target's member order and appending new members, as SQLite does.
CREATE FUNCTION crm_json_patch(target json, patch json) RETURNS json
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
	out text := '';
	e record;
	p json;
BEGIN
	IF patch IS NULL THEN
		RETURN target;
	END IF;
	IF json_typeof(patch) <> 'object' THEN
		RETURN patch;
	END IF;
	IF target IS NULL OR json_typeof(target) <> 'object' THEN
		target := '{}';
	END IF;
	FOR e IN SELECT key, value FROM json_each(target) LOOP
		p := patch -> e.key;
		IF p IS NULL THEN
			out := out || ',' || to_json(e.key)::text || ':' || e.value::text;
		ELSIF json_typeof(p) <> 'null' THEN
			out := out || ',' || to_json(e.key)::text || ':' || crm_json_patch(e.value, p)::text;
		END IF;
	END LOOP;
	FOR e IN SELECT key, value FROM json_each(patch) LOOP
		IF target -> e.key IS NULL AND json_typeof(e.value) <> 'null' THEN
			out := out || ',' || to_json(e.key)::text || ':' || crm_json_patch(NULL, e.value)::text;
		END IF;
	END LOOP;
	RETURN ('{' || substr(out, 2) || '}')::json;
END $$;
CREATE FUNCTION json_patch(target text, patch json) RETURNS json
	LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN crm_json_patch(target::json, patch);
CREATE FUNCTION json_patch(target text, patch text) RETURNS json
	LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN crm_json_patch(target::json, patch::json);

-- json_set(j, path, value, ...): sets top-level members ('$.a', '$."a"') of an object, a value
-- given as text (a JSON string) or json (nested as it is).
CREATE FUNCTION crm_json_set(j json, p text, v text) RETURNS json
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
	path text[] := crm_json_path(p);
	out text := '';
	found boolean := false;
	e record;
BEGIN
	IF array_length(path, 1) IS DISTINCT FROM 1 OR json_typeof(j) <> 'object' THEN
		RETURN (jsonb_set(j::jsonb, path, v::jsonb, true))::json;
	END IF;
	FOR e IN SELECT key, value FROM json_each(j) LOOP
		out := out || ',' || to_json(e.key)::text || ':' || CASE WHEN e.key = path[1] THEN v ELSE e.value::text END;
		found := found OR e.key = path[1];
	END LOOP;
	IF NOT found THEN
		out := out || ',' || to_json(path[1])::text || ':' || v;
	END IF;
	RETURN ('{' || substr(out, 2) || '}')::json;
END $$;
CREATE FUNCTION json_set(j text, VARIADIC pv text[]) RETURNS json
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
	r json := j::json;
BEGIN
	FOR i IN 1 .. coalesce(array_length(pv, 1), 0) BY 2 LOOP
		r := crm_json_set(r, pv[i], crm_json_value(pv[i + 1]));
	END LOOP;
	RETURN r;
END $$;
CREATE FUNCTION json_set(j json, VARIADIC pv text[]) RETURNS json
	LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN json_set(j::text, VARIADIC pv);
-- json_set(json_object(...), path, json_array(...), ...): a history row of more than 40 fields.
CREATE FUNCTION json_set(j json, p text, v json) RETURNS json
	LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN crm_json_set(j, p, v::text);
DO $$
DECLARE
	args text;
	body text;
BEGIN
	FOR n IN 2 .. 40 LOOP
		SELECT string_agg(format('p%s text, v%s json', i, i), ', ' ORDER BY i) INTO args FROM generate_series(1, n) AS i;
		body := 'j';
		FOR i IN 1 .. n LOOP
			body := format('crm_json_set(%s, p%s, v%s::text)', body, i, i);
		END LOOP;
		EXECUTE format('CREATE FUNCTION json_set(j json, %s) RETURNS json LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN %s',
			       args, body);
	END LOOP;
END $$;

-- ------------------------------------------------------------------ tables (SQLite's 001..009)

CREATE TABLE users (
	id         bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	login      citext NOT NULL UNIQUE,
	name       text,
	email      citext,
	manager_id bigint REFERENCES users(id) ON DELETE RESTRICT,
	groups     text,
	roles      text,
	created    text NOT NULL,
	updated    text NOT NULL,
	custom     text CHECK (custom IS NULL OR custom::json IS NOT NULL)
);

CREATE TABLE accounts (
	id                 bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	name               citext NOT NULL UNIQUE,
	parent_id          bigint REFERENCES accounts(id) ON DELETE RESTRICT,
	industry           citext,
	country            text,
	line_of_business   citext,
	lifecycle_stage    citext,
	relationship_stage citext,
	credit_rating      citext,
	credit_limit       double precision,
	website            text,
	phone              text,
	notes              text,
	created            text NOT NULL,
	updated            text NOT NULL,
	custom             text CHECK (custom IS NULL OR custom::json IS NOT NULL),
	name_fold          text
);
CREATE INDEX accounts_name_fold ON accounts(name_fold);
CREATE INDEX accounts_parent ON accounts(parent_id);

CREATE TABLE locations (
	id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	account_id  bigint NOT NULL REFERENCES accounts(id) ON DELETE RESTRICT,
	name        citext NOT NULL,
	address     text,
	city        text,
	postal_code text,
	country     text,
	notes       text,
	created     text NOT NULL,
	updated     text NOT NULL,
	custom      text CHECK (custom IS NULL OR custom::json IS NOT NULL),
	name_fold   text,
	UNIQUE (account_id, name)
);
CREATE INDEX locations_name_fold ON locations(name_fold);

CREATE TABLE contacts (
	id              bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	first_name      citext,
	last_name       citext,
	title           text,
	email           citext UNIQUE,
	phone           text,
	mobile          text,
	account_id      bigint REFERENCES accounts(id) ON DELETE RESTRICT,
	location_id     bigint REFERENCES locations(id) ON DELETE RESTRICT,
	lifecycle_stage citext,
	notes           text,
	created         text NOT NULL,
	updated         text NOT NULL,
	custom          text CHECK (custom IS NULL OR custom::json IS NOT NULL),
	label_fold      text
);
CREATE INDEX contacts_account ON contacts(account_id);
CREATE INDEX contacts_label_fold ON contacts(label_fold);
CREATE INDEX contacts_location ON contacts(location_id);

CREATE TABLE projects (
	id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	name        citext NOT NULL,
	account_id  bigint REFERENCES accounts(id) ON DELETE RESTRICT,
	location_id bigint REFERENCES locations(id) ON DELETE RESTRICT,
	manager_id  bigint REFERENCES users(id) ON DELETE RESTRICT,
	status      citext,
	product     text,
	income      double precision,
	start_date  text,
	due_date    text,
	notes       text,
	created     text NOT NULL,
	updated     text NOT NULL,
	custom      text CHECK (custom IS NULL OR custom::json IS NOT NULL),
	name_fold   text
);
CREATE INDEX projects_account ON projects(account_id);
CREATE INDEX projects_manager ON projects(manager_id);
CREATE INDEX projects_name_fold ON projects(name_fold);

CREATE TABLE project_costs (
	id         bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	project_id bigint NOT NULL REFERENCES projects(id) ON DELETE RESTRICT,
	amount     double precision NOT NULL,
	what       text NOT NULL,
	date       text,
	created    text NOT NULL,
	updated    text NOT NULL
);
CREATE INDEX project_costs_project ON project_costs(project_id);

CREATE TABLE contracts (
	id         bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	title      citext NOT NULL,
	account_id bigint NOT NULL REFERENCES accounts(id) ON DELETE RESTRICT,
	project_id bigint REFERENCES projects(id) ON DELETE RESTRICT,
	type       citext,
	value      double precision,
	currency   citext,
	start_date text,
	end_date   text,
	status     citext,
	notes      text,
	created    text NOT NULL,
	updated    text NOT NULL,
	custom     text CHECK (custom IS NULL OR custom::json IS NOT NULL),
	title_fold text
);
CREATE INDEX contracts_account ON contracts(account_id);
CREATE INDEX contracts_end ON contracts(end_date);
CREATE INDEX contracts_project ON contracts(project_id);
CREATE INDEX contracts_title_fold ON contracts(title_fold);

CREATE TABLE contract_lines (
	id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	contract_id bigint NOT NULL REFERENCES contracts(id) ON DELETE RESTRICT,
	product     text NOT NULL,
	quantity    double precision,
	price       double precision,
	notes       text,
	created     text NOT NULL,
	updated     text NOT NULL
);
CREATE INDEX contract_lines_contract ON contract_lines(contract_id);

CREATE TABLE activities (
	id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	summary     text NOT NULL,
	type        citext NOT NULL,
	at          text NOT NULL,
	account_id  bigint REFERENCES accounts(id) ON DELETE RESTRICT,
	location_id bigint REFERENCES locations(id) ON DELETE RESTRICT,
	contract_id bigint REFERENCES contracts(id) ON DELETE RESTRICT,
	result      citext,
	body        text,
	message_id  text UNIQUE,
	created     text NOT NULL,
	updated     text NOT NULL,
	custom      text CHECK (custom IS NULL OR custom::json IS NOT NULL)
);
CREATE INDEX activities_account ON activities(account_id, at);
CREATE INDEX activities_at ON activities(at);
CREATE INDEX activities_contract ON activities(contract_id);
CREATE INDEX activities_location ON activities(location_id);

-- Links between records (SQLite: WITHOUT ROWID tables), one table per kind of link.
CREATE TABLE project_team (
	record_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	target_id bigint NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
	PRIMARY KEY (record_id, target_id)
);
CREATE INDEX project_team_target ON project_team(target_id);
CREATE TABLE project_contacts (
	record_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	target_id bigint NOT NULL REFERENCES contacts(id) ON DELETE RESTRICT,
	PRIMARY KEY (record_id, target_id)
);
CREATE INDEX project_contacts_target ON project_contacts(target_id);
CREATE TABLE contract_resources (
	record_id bigint NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
	target_id bigint NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
	PRIMARY KEY (record_id, target_id)
);
CREATE INDEX contract_resources_target ON contract_resources(target_id);
CREATE TABLE contract_contacts (
	record_id bigint NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
	target_id bigint NOT NULL REFERENCES contacts(id) ON DELETE RESTRICT,
	PRIMARY KEY (record_id, target_id)
);
CREATE INDEX contract_contacts_target ON contract_contacts(target_id);
CREATE TABLE activity_contacts (
	record_id bigint NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
	target_id bigint NOT NULL REFERENCES contacts(id) ON DELETE RESTRICT,
	PRIMARY KEY (record_id, target_id)
);
CREATE INDEX activity_contacts_target ON activity_contacts(target_id);
CREATE TABLE activity_users (
	record_id bigint NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
	target_id bigint NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
	PRIMARY KEY (record_id, target_id)
);
CREATE INDEX activity_users_target ON activity_users(target_id);
CREATE TABLE activity_projects (
	record_id bigint NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
	target_id bigint NOT NULL REFERENCES projects(id) ON DELETE RESTRICT,
	PRIMARY KEY (record_id, target_id)
);
CREATE INDEX activity_projects_target ON activity_projects(target_id);

-- Every change: who, when, what (changes: {"field": [old, new], ...}).
CREATE TABLE history (
	id        bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	at        text NOT NULL,
	"user"    text NOT NULL,
	kind      text NOT NULL,
	record_id bigint NOT NULL,
	action    text NOT NULL CHECK (action = 'add' OR action = 'edit' OR action = 'rm'),
	changes   text NOT NULL DEFAULT '{}' CHECK (changes::json IS NOT NULL),
	batch_id  bigint
);
CREATE INDEX history_record ON history(kind, record_id);
CREATE INDEX history_batch ON history(batch_id) WHERE batch_id IS NOT NULL;

CREATE TABLE import_batches (
	id           bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	at           text NOT NULL,
	"user"       text NOT NULL,
	kind         text NOT NULL,
	file         text NOT NULL,
	mode         text NOT NULL CHECK (mode IN ('create', 'update', 'upsert')),
	key          text,
	rows         bigint NOT NULL DEFAULT 0,
	created      bigint NOT NULL DEFAULT 0,
	updated      bigint NOT NULL DEFAULT 0,
	unchanged    bigint NOT NULL DEFAULT 0,
	rejected     bigint NOT NULL DEFAULT 0,
	refs_created bigint NOT NULL DEFAULT 0,
	reverted_at  text,
	reverted_by  text,
	-- the history rows the revert wrote, so that later reverts of earlier batches can tell a
	-- record put back as it was from one changed since
	revert_first bigint,
	revert_last  bigint
);

-- rowid: SQLite's implicit row number, which the core reads here (the order ranges were
-- written in); an identity column of that name on PostgreSQL.
CREATE TABLE import_created (
	rowid         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	batch_id      bigint NOT NULL REFERENCES import_batches(id),
	kind          text NOT NULL,
	first_id      bigint NOT NULL,
	last_id       bigint NOT NULL,
	after_history bigint NOT NULL -- the last history row written before the batch
);
CREATE INDEX import_created_record ON import_created(kind, first_id);
CREATE INDEX import_created_batch ON import_created(batch_id);

-- A document's content, once per distinct content: a large object, streamed by the backend.
CREATE TABLE blobs (
	id      bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	sha256  text NOT NULL UNIQUE,
	size    bigint NOT NULL,
	content oid NOT NULL
);

CREATE TABLE documents (
	id           bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	name         text NOT NULL,
	noun         text NOT NULL,
	record_id    bigint NOT NULL,
	size         bigint NOT NULL,
	content_type text,
	sha256       text NOT NULL,
	blob_id      bigint NOT NULL REFERENCES blobs(id) ON DELETE RESTRICT,
	created      text NOT NULL,
	updated      text NOT NULL
);
CREATE INDEX documents_blob ON documents(blob_id);
CREATE INDEX documents_record ON documents(noun, record_id);

CREATE TABLE tickets (
	id             bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	title          text NOT NULL,
	account_id     bigint NOT NULL REFERENCES accounts(id) ON DELETE RESTRICT,
	contact_id     bigint REFERENCES contacts(id) ON DELETE RESTRICT,
	project_id     bigint REFERENCES projects(id) ON DELETE RESTRICT,
	contract_id    bigint REFERENCES contracts(id) ON DELETE RESTRICT,
	priority       citext NOT NULL,
	status         citext NOT NULL,
	assignee_id    bigint REFERENCES users(id) ON DELETE RESTRICT,
	assignee_group text,
	reporter_id    bigint REFERENCES users(id) ON DELETE RESTRICT,
	opened         text,
	responded      text,             -- first comment or transition after opening
	resolved       text,             -- when it last reached a resolved status
	description    text,
	resolution     text,
	-- The SLA clock: stopped (paused_since set) in paused and resolved statuses; the seconds
	-- of earlier stops add up in paused_seconds. cycle counts openings (1 + reopenings), so
	-- that a reopened ticket may be alerted on again.
	paused_seconds bigint NOT NULL DEFAULT 0,
	paused_since   text,
	cycle          bigint NOT NULL DEFAULT 1,
	custom         text CHECK (custom IS NULL OR custom::json IS NOT NULL),
	created        text NOT NULL,
	updated        text NOT NULL
);
CREATE INDEX tickets_account ON tickets(account_id);
CREATE INDEX tickets_assignee ON tickets(assignee_id);
CREATE INDEX tickets_contact ON tickets(contact_id);
CREATE INDEX tickets_contract ON tickets(contract_id);
CREATE INDEX tickets_project ON tickets(project_id);
CREATE INDEX tickets_status ON tickets(status, opened);

CREATE TABLE ticket_actions (
	id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	ticket_id   bigint NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
	at          text NOT NULL,
	"user"      text NOT NULL,
	action      text NOT NULL,
	name        text,               -- the transition taken
	from_status text,
	to_status   text,
	text        text                -- the comment, or what was done
);
CREATE INDEX ticket_actions_ticket ON ticket_actions(ticket_id, id);

CREATE TABLE ticket_watchers (
	id         bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	ticket_id  bigint NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
	user_id    bigint REFERENCES users(id) ON DELETE CASCADE,
	contact_id bigint REFERENCES contacts(id) ON DELETE CASCADE,
	CHECK ((user_id IS NULL) <> (contact_id IS NULL))
);
CREATE UNIQUE INDEX ticket_watchers_user ON ticket_watchers(ticket_id, user_id) WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX ticket_watchers_contact ON ticket_watchers(ticket_id, contact_id) WHERE contact_id IS NOT NULL;

CREATE TABLE alerts (
	id         bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	raised     text NOT NULL,
	ticket_id  bigint NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
	target     text NOT NULL CHECK (target IN ('response', 'resolution')),
	cycle      bigint NOT NULL,
	due        text NOT NULL,
	recipients text NOT NULL,        -- logins, comma-separated
	acked      text,
	acked_by   text,
	UNIQUE (ticket_id, target, cycle)
);

CREATE TABLE notifications (
	id           bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	created      text NOT NULL,
	ticket_id    bigint,            -- no foreign key: the message outlives the ticket
	event        text NOT NULL,
	recipient    text NOT NULL,      -- e-mail address
	subject      text NOT NULL,
	body         text NOT NULL,
	attempts     bigint NOT NULL DEFAULT 0,
	next_attempt text NOT NULL,
	lease_owner  text,
	lease_until  text,
	delivered    text,
	last_error   text
);
CREATE INDEX notifications_pending ON notifications(next_attempt) WHERE delivered IS NULL;

-- ------------------------------------------------------------------ triggers

-- A document's content goes with its last document, whatever removes the document (009).
CREATE FUNCTION crm_documents_blob_gc() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM documents WHERE blob_id = old.blob_id) THEN
		DELETE FROM blobs WHERE id = old.blob_id;
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER documents_blob_gc AFTER DELETE ON documents
	FOR EACH ROW EXECUTE FUNCTION crm_documents_blob_gc();

-- A blobs row owns its large object: removing the row unlinks it.
CREATE FUNCTION crm_blobs_unlink() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_largeobject_metadata WHERE oid = old.content) THEN
		PERFORM lo_unlink(old.content);
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER blobs_unlink AFTER DELETE ON blobs
	FOR EACH ROW EXECUTE FUNCTION crm_blobs_unlink();

-- ------------------------------------------------------------------ the ticket kind's functions

-- crm_ticket_responsible(assignee_id, group) and crm_ticket_managers(assignee_id, group), which
-- core/ticket.c registers on SQLite: logins, comma-separated, sorted. (crm_ticket_open,
-- crm_sla_due and crm_sla_breach read the configuration and are not here.)
CREATE FUNCTION crm_ticket_responsible_ids(assignee bigint, grp text) RETURNS SETOF bigint
	LANGUAGE sql STABLE AS $$
	SELECT assignee WHERE assignee IS NOT NULL
	UNION SELECT id FROM users WHERE assignee IS NULL AND grp IS NOT NULL AND
		instr(',' || lower(replace(coalesce(groups, ''), ' ', '')) || ',', ',' || lower(grp) || ',') > 0
$$;
CREATE FUNCTION crm_ticket_responsible(assignee bigint, grp text) RETURNS text
	LANGUAGE sql STABLE AS $$
	SELECT string_agg(login::text, ',' ORDER BY login)
	FROM users WHERE id IN (SELECT crm_ticket_responsible_ids(assignee, grp))
$$;
CREATE FUNCTION crm_ticket_managers(assignee bigint, grp text) RETURNS text
	LANGUAGE sql STABLE AS $$
	WITH RECURSIVE chain(id, depth) AS (
		SELECT u.manager_id, 1 FROM users u WHERE u.id IN (SELECT crm_ticket_responsible_ids(assignee, grp))
			AND u.manager_id IS NOT NULL
		UNION SELECT u.manager_id, c.depth + 1 FROM users u JOIN chain c ON u.id = c.id
			WHERE u.manager_id IS NOT NULL AND c.depth < 64)
	SELECT string_agg(login::text, ',' ORDER BY login)
	FROM users WHERE id IN (SELECT id FROM chain)
$$;
