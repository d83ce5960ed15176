/* Each kind of record described once; the record engine serves every shared verb from this. */
#ifndef CRM_KIND_H
#define CRM_KIND_H

#include <stddef.h>

enum crm_ftype {
	CRM_F_TEXT,
	CRM_F_INT,
	CRM_F_REAL,   /* a measure where rounding does not matter (a custom field's "number") */
	CRM_F_DATE,   /* YYYY-MM-DD */
	CRM_F_TIME,   /* UTC timestamp */
	CRM_F_BOOL,
	CRM_F_EMAIL,
	CRM_F_REF,    /* id of another kind, given by the user as any reference to it */
	CRM_F_LIST,   /* comma-separated words (roles, groups) */
	CRM_F_LINKS,  /* many-to-many: records of kind `ref`, kept in the link table named by
		       * `column` (columns record_id, target_id); set as repeated options or comma
		       * lists of references, "+ref" adds, "-ref" removes; listed as labels */
	CRM_F_MONEY,  /* an amount, exact: an INTEGER of minor units of the currency the field
		       * named by `currency` holds (JPY 0 digits, EUR 2, KWD 3; 2 when it is
		       * empty); read and written as decimal text, never as a double (crm/money.h) */
	CRM_F_DECIMAL,/* an exact decimal (a quantity, a tax rate): an INTEGER of 10^-scale units */
};

enum crm_fflag {
	CRM_FF_REQUIRED = 1 << 0,
	CRM_FF_KEY      = 1 << 1, /* natural key: a reference may name the record by this field */
	CRM_FF_READONLY = 1 << 2, /* set by crm, never by the user (id, created, updated) */
	CRM_FF_SEARCH   = 1 << 3, /* a bare word in a filter matches this field */
	CRM_FF_LIST     = 1 << 4, /* in the default columns of `list` */
	/* High bits, so that flags added elsewhere meanwhile do not collide. */
	CRM_FF_NOW      = 1 << 12, /* DATE/TIME: today or now when an added record leaves it empty */
	CRM_FF_HIDDEN   = 1 << 13, /* left out of "all" fields (an alias, or internal bookkeeping) */
	CRM_FF_PART     = 1 << 15, /* REF: the record is a part of the one referred to (a project's
				    * cost, a contract's line): adding, changing or removing it changes
				    * that record's computed fields, and its history says so */
	CRM_FF_WORKFLOW = 1 << 16, /* the status workflow.<kind> governs (crm/workflow.h): moves only
				    * along its transitions, on every add, edit and import */
	CRM_FF_CUSTOM   = 1 << 20, /* defined in the configuration (custom_fields.<kind>), kept as a
				    * key of the JSON column `custom`; see crm/custom.h */
	CRM_FF_FIXED    = 1 << 24, /* given by crm when it creates the record (a document's kind and
				    * record, size, digest, blob), never changed by an edit or an
				    * import, which refuse it (exit 6); not a user's option */
};

/* Computed fields a query evaluates in C over the row it fetched, once a row for all of them,
 * rather than in SQL (the column's expression still serves filters and sorting): a ticket's
 * service-level clock (crm/ticket.h). */
enum crm_calc {
	CRM_CALC_NONE,
	CRM_CALC_OPEN,
	CRM_CALC_RESPONSE_DUE,
	CRM_CALC_RESOLUTION_DUE,
	CRM_CALC_BREACH,
};

struct crm_err;
struct crm;

struct crm_field {
	const char *name;     /* user-facing, with underscores: line_of_business */
	const char *column;   /* SQL column; for read-only computed fields an expression in
			       * parentheses over the kind's table aliased t: "(t.income - ...)";
			       * for CRM_F_LINKS the link table */
	enum crm_ftype type;
	unsigned flags;
	const char *ref;      /* CRM_F_REF: the kind referred to */
	const char *picklist; /* allowed values come from config picklists.<name> */
	const char *help;
	/* Optional, left out of most rows (zero): */
	const char *min;      /* CRM_F_INT, CRM_F_REAL, CRM_F_MONEY, CRM_F_DECIMAL: the smallest
			       * value allowed ("0") */
	const char *max;      /* CRM_F_INT, CRM_F_DECIMAL: the largest ("100"); NULL for none */
	const char *def;      /* an added record left empty gets: "config:<path>" that configuration
			       * value, "user" the current user (when there is such a user record),
			       * anything else that value ("1") */
	enum crm_calc calc;   /* a query's select list computes it in C (see enum crm_calc) */
	const char *alt;      /* CRM_F_REF: a value written "@name" names a record of the kind
			       * the field called alt refers to, and goes there instead; setting
			       * either one empties the other (a task's assignee: a user, or
			       * @group). A name that resolves to nothing is invalid (6). */
	const char *after;    /* CRM_F_DATE, CRM_F_TIME: may not be earlier than the field of this
			       * name when both have a value (a task's due after its start) */
	const char *names;    /* CRM_F_LIST: each word names a record of this kind by its key,
			       * added when missing (a user's groups are group records) */
	/* CRM_F_TEXT: checks and rewrites a value (a task's repeat: "weekly" becomes the RRULE
	 * FREQ=WEEKLY); CRM_EINVALID for one it refuses; *out NULL for none. */
	int (*norm)(const char *in, char **out, struct crm_err *err);
	const char *currency; /* CRM_F_MONEY: the field of the same kind holding its currency */
	int scale;            /* CRM_F_DECIMAL: digits after the point (quantity 3, tax rate 2) */
};

struct crm_kind {
	const char *name;      /* account */
	const char *plural;    /* accounts */
	const char *table;
	const char *label_sql; /* SQL expression over columns of `table` naming one record */
	const char *order_sql; /* default ORDER BY over `table` columns */
	const struct crm_field *fields;
	int nfields;
	const char *positional; /* fields filled, in order, by the positional words of `add` */
	/* Optional: rules across the kind's own fields that only it has, checked after the
	 * engine's on every add, edit and import: vals[i] is field i's value to be written
	 * (NULL: none), id 0 on add. A distribution list's type, members' kind and filter. */
	int (*check)(struct crm *crm, const struct crm_kind *k, long long id, const char *const *vals,
		     struct crm_err *err);
	/* Optional, for a kind whose workflow locks its parts (workflow.<kind>.parts_editable): the
	 * way out the refusal names ("crm offer revise makes a new version"), when the transition
	 * parts_hint_by (NULL: any status) leaves the whole's status. */
	const char *parts_hint;
	const char *parts_hint_by;
};

/* Every kind, NULL-terminated, and look-up by name (or plural). */
extern const struct crm_kind *const crm_kinds[];
const struct crm_kind *crm_kind_find(const char *name);

/* A field by user name; '-' and '_' are the same and case is ignored. Also "<ref>_id" for REF
 * fields (returned with *as_id set), and a LINKS field by its singular ("contact" for
 * "contacts"), so that --contact Ann and contact:Ann read naturally. NULL if none. */
const struct crm_field *crm_kind_field(const struct crm_kind *k, const char *name, int *as_id);

/* The kind's reference to its own kind (an account's parent), which makes its records a tree;
 * NULL when it has none. */
const struct crm_field *crm_kind_parent_field(const struct crm_kind *k);

const char *crm_ftype_name(enum crm_ftype t);

/* A kind's name as messages give it to a user: "offer section" for offer_section (the name
 * itself when it has no underscore). Lives as long as the process. */
const char *crm_kind_noun(const struct crm_kind *k);
const char *crm_noun(const char *kind_name);

/* The reference that makes k's records parts of another (a section's offer, a line's contract:
 * the CRM_FF_PART field), or NULL. */
const struct crm_field *crm_kind_whole_field(const struct crm_kind *k);

/* The field of k whose name is nearest a misspelt one (at most two edits, a swap of two letters
 * being one), or NULL: for "did you mean". */
const char *crm_kind_near_field(const struct crm_kind *k, const char *name);

#endif
