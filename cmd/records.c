/* The verbs every kind of record shares, served from the kind's descriptor: add, list, show,
 * edit, rm, history. A noun's own file adds only what is special to it. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "crm/dedupe.h"
#include "crm/auth.h"
#include "crm/date.h"
#include "crm/filter.h"
#include "crm/record.h"
#include "crm/show.h"
#include "crm/workflow.h"

#define MAX_ASSIGN 128

/* Positional words fill the kind's positional fields in order; a lone "First Last" for a kind
 * with two (contacts) splits at the last space; extra words join the last field. */
static int positional_assign(const struct crm_kind *k, char **pos, int npos, struct crm_assign *set,
			     int *nset, char **owned, int *nowned)
{
	if (!npos)
		return 0;
	char *fields = strdup(k->positional ? k->positional : "");
	char *names[8], *save = NULL;
	int nf = 0;
	for (char *f = strtok_r(fields, ",", &save); f && nf < 8; f = strtok_r(NULL, ",", &save))
		names[nf++] = f;
	if (!nf) {
		free(fields);
		return cli_error(CRM_EUSAGE, "unexpected argument '%s'", pos[0]);
	}
	owned[(*nowned)++] = fields;
	/* The name rules below are for a first field that may be left out (a contact's first name);
	 * a required one (an offer line's offer) takes the first word, whatever it is. */
	const struct crm_field *first = crm_kind_field(k, names[0], NULL);
	int optional_first = !first || !(first->flags & CRM_FF_REQUIRED);
	if (optional_first && npos == 1 && nf == 2 && strrchr(pos[0], ' ')) {
		const char *sp = strrchr(pos[0], ' ');
		char *first = strndup(pos[0], (size_t)(sp - pos[0]));
		owned[(*nowned)++] = first;
		set[*nset].field = names[0];
		set[(*nset)++].value = first;
		set[*nset].field = names[1];
		set[(*nset)++].value = sp + 1;
		return 0;
	}
	if (optional_first && npos == 1 && nf == 2) { /* a single word is the last name: "crm contact add Smith" */
		set[*nset].field = names[1];
		set[(*nset)++].value = pos[0];
		return 0;
	}
	for (int i = 0; i < nf && i < npos; i++) {
		if (i == nf - 1 && npos > nf) {
			size_t len = 0;
			for (int j = i; j < npos; j++)
				len += strlen(pos[j]) + 1;
			char *joined = calloc(1, len + 1);
			for (int j = i; j < npos; j++) {
				if (j > i)
					strcat(joined, " ");
				strcat(joined, pos[j]);
			}
			owned[(*nowned)++] = joined;
			set[*nset].field = names[i];
			set[(*nset)++].value = joined;
		} else {
			set[*nset].field = names[i];
			set[(*nset)++].value = pos[i];
		}
	}
	return 0;
}

int rec_add_print(struct cli *cli, const struct crm_kind *k, const struct crm_assign *set, int nset)
{
	struct crm_err err = { 0 };
	long long id;
	if (crm_record_add(cli->crm, k, set, nset, &id, &err))
		return cli_fail(&err);
	printf("%lld\n", id); /* the number alone, so id=$(crm … add …) works */
	return 0;
}

int rec_add(struct cli *cli, int argc, char **argv)
{
	return rec_add_with(cli, argc, argv, NULL, 0);
}

int rec_add_with(struct cli *cli, int argc, char **argv, const struct crm_assign *extra, int nextra)
{
	long long id;
	int rc = rec_add_id(cli, argc, argv, extra, nextra, NULL, NULL, &id);
	if (!rc)
		printf("%lld\n", id); /* the number alone, so id=$(crm … add …) works */
	return rc;
}

int rec_add_id(struct cli *cli, int argc, char **argv, const struct crm_assign *extra, int nextra, rec_add_fn add,
	       void *ctx, long long *id)
{
	const struct crm_kind *k = cli_kind(cli);
	struct crm_assign set[MAX_ASSIGN + 8];
	char *owned[16];
	int nset = 0, nowned = 0;
	if (cli->args.nset + nextra > MAX_ASSIGN)
		return cli_error(CRM_EUSAGE, "too many fields");
	/* Positional fields go first so that an explicit --field wins. */
	int rc = positional_assign(k, argv + 1, argc - 1, set, &nset, owned, &nowned);
	/* A required positional field given neither way is a usage error, like any missing
	 * argument: "crm account add" without a name. */
	char *names = strdup(k->positional ? k->positional : ""), *save = NULL;
	for (char *f = strtok_r(names, ",", &save); f && !rc; f = strtok_r(NULL, ",", &save)) {
		const struct crm_field *pf = crm_kind_field(k, f, NULL);
		int given = 0;
		for (int i = 0; i < nset; i++)
			given |= strcmp(set[i].field, f) == 0;
		for (int i = 0; i < cli->args.nset; i++)
			given |= crm_kind_field(k, cli->args.set[i].field, NULL) == pf;
		if (pf && (pf->flags & CRM_FF_REQUIRED) && !given)
			rc = cli_usage(cli);
	}
	free(names);
	if (!rc) {
		if (cli->args.nset)
			memcpy(set + nset, cli->args.set, (size_t)cli->args.nset * sizeof *set);
		nset += cli->args.nset;
		for (int i = 0; i < nextra; i++)
			set[nset++] = extra[i];
		struct crm_err err = { 0 };
		if (add ? add(cli->crm, k, set, nset, ctx, id, &err) : crm_record_add(cli->crm, k, set, nset, id, &err))
			rc = cli_fail(&err);
	}
	for (int i = 0; i < nowned; i++)
		free(owned[i]);
	return rc;
}

static void print_field_help(const struct cli *cli, const struct crm_kind *k)
{
	const char *names[128];
	int n = crm_query_field_names(k, names, 128);
	for (int i = 0; i < n; i++) {
		int as_id;
		const struct crm_field *f = crm_kind_field(k, names[i], &as_id);
		/* a custom choice field says so, and its values */
		int choice = !as_id && (f->flags & CRM_FF_CUSTOM) && f->picklist;
		printf("%-20s %-10s %s%s", names[i], as_id ? "integer" : choice ? "choice" : crm_ftype_name(f->type),
		       as_id ? "number of the " : "", as_id ? f->name : f->help);
		const struct crm_conf_node *values = choice ? crm_field_picklist(cli->cfg, f) : NULL;
		for (size_t j = 0; j < crm_conf_count(values); j++) {
			const char *v = crm_conf_scalar(crm_conf_child(values, j));
			printf("%s%s", j ? ", " : "; one of: ", v ? v : "");
		}
		putchar('\n');
	}
}

/* Split "a,b,c" into fields (pointing into a copy the caller frees). */
static int split_fields(const char *spec, char **copy, const char **fields, int max)
{
	*copy = strdup(spec);
	int n = 0;
	char *save = NULL;
	for (char *f = strtok_r(*copy, ",", &save); f && n < max; f = strtok_r(NULL, ",", &save))
		fields[n++] = f;
	return n;
}

int rec_fields_option(const struct cli *cli, const struct crm_kind *k, const char **fields, int max, char **copy)
{
	const char *v = cli_get(cli, "fields");
	*copy = NULL;
	if (!v)
		return 0;
	if (strcmp(v, "help") == 0) {
		print_field_help(cli, k);
		return -1;
	}
	return split_fields(v, copy, fields, max);
}

/* The filter term of option o given value (NULL for a flag), in out. */
static void opt_term(const struct cli *cli, const struct cmd_opt *o, const char *value, char *out, size_t size)
{
	size_t len = 0;
	if ((o->flags & OPT_ME) && value && strcmp(value, "me") == 0)
		value = crm_user(cli->crm);
	for (const char *t = o->term; *t && len + 1 < size; t++) {
		const char *put = NULL;
		if (t[0] == '%' && t[1] == 's')
			put = value ? value : "";
		else if (t[0] == '%' && t[1] == 'u')
			put = crm_user(cli->crm);
		if (put) {
			len += (size_t)snprintf(out + len, size - len, "%s", put);
			if (len >= size)
				len = size - 1;
			t++;
		} else
			out[len++] = *t;
	}
	out[len] = '\0';
}

/* The words of the list: argv's, then the terms of the options that add one (struct cmd_opt's
 * term), in the order given; those of OPT_UNLESS options not given last. */
static int list_terms(const struct cli *cli, int argc, char **argv, char ***words, char **buf)
{
	const struct cmd_verb *verb = cli->verb;
	int max = argc + cli->args.nseen + 16, n = 0;
	*words = calloc((size_t)max + 1, sizeof **words);
	*buf = calloc((size_t)max, 512);
	for (int i = 0; i < argc; i++)
		(*words)[n++] = argv[i];
	for (int i = 0; i < cli->args.nseen; i++) {
		const struct cmd_opt *o = cli->args.seen[i].opt;
		if (!o->term || (o->flags & OPT_UNLESS))
			continue;
		char *t = *buf + (size_t)n * 512;
		opt_term(cli, o, cli->args.seen[i].value, t, 512);
		(*words)[n++] = t;
	}
	for (int s = 0; verb && s < CMD_OPTSETS; s++)
		for (const struct cmd_opt *o = verb->opts[s]; o && o->name && n < max; o++)
			if (o->term && (o->flags & OPT_UNLESS) && !cli_has(cli, o->name)) {
				char *t = *buf + (size_t)n * 512;
				opt_term(cli, o, NULL, t, 512);
				(*words)[n++] = t;
			}
	(*words)[n] = NULL;
	return n;
}

int rec_list(struct cli *cli, int argc, char **argv)
{
	const struct crm_kind *k = cli_kind(cli);
	const char *fields[128], *v;
	int nfields = 0, rc = 0;
	struct crm_query q = { .kind = k, .sort = cli_get(cli, "sort") };
	char *fieldcopy = NULL, **words, *wordbuf;
	argc = list_terms(cli, argc, argv, &words, &wordbuf);
	argv = words;
	if ((nfields = rec_fields_option(cli, k, fields, 128, &fieldcopy)) < 0) {
		nfields = 0;
		goto out;
	}
	if ((v = cli_get(cli, "limit"))) {
		char *end;
		q.limit = strtoll(v, &end, 10);
		if (!*v || *end || q.limit < 0) {
			rc = cli_error(CRM_EUSAGE, "--limit takes a number, not '%s'", v);
			goto out;
		}
	}
	q.terms = (const char *const *)argv + 1;
	q.nterms = argc - 1;
	q.fields = nfields ? fields : NULL;
	q.nfields = nfields;
	char filter[1024] = "";
	for (int i = 1; i < argc; i++) {
		size_t l = strlen(filter);
		snprintf(filter + l, sizeof filter - l, "%s%s", i > 1 ? " " : "", argv[i]);
	}
	struct crm_printer *p = cli_printer(cli, filter, &rc);
	if (p) {
		struct crm_err err = { 0 };
		rc = crm_query_print(cli->crm, &q, p, NULL, &err);
		cli->out.failed = rc != 0; /* a failed query leaves an -o file as it was */
		int frc = cli_printer_finish(cli, p);
		rc = rc ? cli_fail(&err) : frc;
	}
out:
	free(fieldcopy);
	free(words);
	free(wordbuf);
	return rc;
}

/* The list of a child kind under its parent's verb: a first word that is not a filter term
 * names the parent (crm project cost list Apollo). */
int rec_sub_list(struct cli *cli, int argc, char **argv)
{
	const struct crm_kind *k = cli_kind(cli);
	const char *parent = cli->noun->kind;
	if (argc < 2 || crm_filter_is_term(k, argv[1]))
		return rec_list(cli, argc, argv);
	for (int i = 0; i < k->nfields; i++)
		if (k->fields[i].type == CRM_F_REF && k->fields[i].ref && strcmp(k->fields[i].ref, parent) == 0) {
			char term[512];
			snprintf(term, sizeof term, "%s:%s", k->fields[i].name, argv[1]);
			char *saved = argv[1];
			argv[1] = term;
			int rc = rec_list(cli, argc, argv);
			argv[1] = saved;
			return rc;
		}
	return rec_list(cli, argc, argv);
}

/* The text view of show is for people, and the default off a terminal too; csv, tsv and xlsx
 * asked for (-F or -o), or a table written to a file, get the record as one row instead, so
 * that -o never leaves its file unwritten. */
int rec_show_as_row(const struct cli *cli)
{
	if (cli->format < 0 && !cli->output)
		return 0;
	enum crm_format f = cli_format(cli);
	return f == CRM_FMT_CSV || f == CRM_FMT_TSV || f == CRM_FMT_XLSX || (f == CRM_FMT_TABLE && cli->output);
}

int rec_print_row(struct cli *cli, const struct crm_kind *k, long long id)
{
	int rc;
	struct crm_printer *p = cli_printer(cli, NULL, &rc);
	if (!p)
		return rc;
	struct crm_err err = { 0 };
	rc = crm_show_print_row(cli->crm, k, id, p, &err);
	int frc = cli_printer_finish(cli, p);
	return rc ? cli_fail(&err) : frc;
}

/* Resolve argv[1] as a record of the noun's kind, or print the error. */
int rec_need_ref(struct cli *cli, int argc, char **argv, long long *id)
{
	if (argc < 2)
		return cli_usage(cli);
	struct crm_err err = { 0 };
	int rc = crm_record_resolve(cli->crm, cli_kind(cli), argv[1], id, &err);
	return rc ? cli_fail(&err) : 0;
}

/* show for every kind: the record and its related sections (crm/show.h), as the text view for
 * people (the table printer; timestamps in local time on a terminal, as stored elsewhere), as
 * one nested map for json/yaml, or as one row for csv/tsv/xlsx. */
int rec_show(struct cli *cli, int argc, char **argv)
{
	long long id;
	if (argc > 2)
		return cli_error(CRM_EUSAGE, "unexpected argument '%s'", argv[2]);
	int rc = rec_need_ref(cli, argc, argv, &id);
	if (rc)
		return rc;
	if (rec_show_as_row(cli))
		return rec_print_row(cli, cli_kind(cli), id);
	struct crm_err err = { 0 };
	struct crm_printer *p;
	if (cli_structured(cli)) {
		if (!(p = cli_printer(cli, NULL, &rc)))
			return rc;
	} else {
		struct crm_printer_opts o = { .format = CRM_FMT_TABLE, .out = stdout, .headers = 1,
					      .color = cli->color, .iso_times = !cli->stdout_tty };
		if (!(p = crm_printer_new(&o, &err)))
			return cli_fail(&err);
	}
	rc = crm_show_print_with(cli->crm, cli_kind(cli), id, cli_has(cli, "with-subsidiaries") > 0 ? CRM_SHOW_GROUP : 0,
				 p, &err);
	int frc = cli_printer_finish(cli, p);
	return rc ? cli_fail(&err) : frc;
}

/* Records named by filter terms (bulk) rather than one reference. */
int rec_select_ids(struct cli *cli, const struct crm_kind *k, char **terms, int nterms, long long **ids, int *nids)
{
	const char *idf[] = { "id" };
	struct crm_query q = { .kind = k, .terms = (const char *const *)terms, .nterms = nterms,
			       .fields = idf, .nfields = 1 };
	struct crm_cursor *c;
	struct crm_err err = { 0 };
	int rc = crm_query_open(cli->crm, &q, &c, &err);
	if (rc)
		return cli_fail(&err);
	const struct crm_value *cells;
	int cap = 0;
	*ids = NULL;
	*nids = 0;
	while ((rc = crm_cursor_next(c, &cells, &err)) == 1) {
		if (*nids == cap) {
			cap = cap ? cap * 2 : 64;
			*ids = realloc(*ids, (size_t)cap * sizeof **ids);
		}
		(*ids)[(*nids)++] = atoll(cells[0].text);
	}
	crm_cursor_close(c);
	return rc < 0 ? cli_fail(&err) : 0;
}

/* The records a verb acts on: one reference, several references, or filter terms. Bulk
 * selections ask first (or need --yes off a terminal). */
static int target_ids(struct cli *cli, const char *verb, char **pos, int npos, long long **ids,
		      int *nids)
{
	const struct crm_kind *k = cli_kind(cli);
	int filter = 0;
	for (int i = 0; i < npos; i++)
		if (crm_filter_is_term(k, pos[i]))
			filter = 1;
	if (npos <= 0)
		return cli_usage(cli);
	if (!filter) {
		*ids = calloc((size_t)npos, sizeof **ids);
		*nids = npos;
		for (int i = 0; i < npos; i++) {
			struct crm_err err = { 0 };
			if (crm_record_resolve(cli->crm, k, pos[i], &(*ids)[i], &err)) {
				free(*ids);
				*ids = NULL;
				return cli_fail(&err);
			}
		}
		return 0;
	}
	int rc = rec_select_ids(cli, k, pos, npos, ids, nids);
	if (rc)
		return rc;
	if (*nids == 0) {
		cli_info(cli, "no %s match", k->plural);
		return 0;
	}
	char q[256];
	snprintf(q, sizeof q, "%s %d %s?", verb, *nids, *nids == 1 ? k->name : k->plural);
	if (!cli_confirm(cli, q)) {
		free(*ids);
		*ids = NULL;
		return cli_error(CRM_EUSAGE, "refusing to %s %d %s without --yes", verb, *nids,
				 *nids == 1 ? k->name : k->plural);
	}
	return 0;
}

int rec_edit(struct cli *cli, int argc, char **argv)
{
	const struct crm_kind *k = cli_kind(cli);
	long long *ids = NULL;
	int nids = 0, rc = 0;
	if (!cli->args.nset)
		rc = cli_error(CRM_EUSAGE, "nothing to change: give --<field> <value> (see crm %s --help)",
			       cli->path);
	if (!rc)
		rc = target_ids(cli, "edit", argv + 1, argc - 1, &ids, &nids);
	if (!rc && nids) {
		struct crm_err err = { 0 };
		int total = 0;
		rc = crm_record_edit_many(cli->crm, k, ids, nids, cli->args.set, cli->args.nset, &total, &err);
		if (rc)
			rc = cli_fail(&err);
		else if (cli->verbose || nids > 1)
			cli_info(cli, "%d %s changed", total, total == 1 ? k->name : k->plural);
	}
	free(ids);
	return rc;
}

int rec_rm(struct cli *cli, int argc, char **argv)
{
	const struct crm_kind *k = cli_kind(cli);
	long long *ids = NULL;
	int nids = 0;
	int rc = target_ids(cli, "remove", argv + 1, argc - 1, &ids, &nids);
	if (!rc && nids) {
		struct crm_err err = { 0 };
		rc = crm_record_rm_many(cli->crm, k, ids, nids, &err);
		if (rc)
			rc = cli_fail(&err);
		else if (cli->verbose || nids > 1)
			cli_info(cli, "%d %s removed", nids, nids == 1 ? k->name : k->plural);
	}
	free(ids);
	return rc;
}

/* History by number even after the record is gone; by name while it exists. */
static int history_of(struct cli *cli, const struct crm_kind *k, const char *ref)
{
	long long id;
	struct crm_err err = { 0 };
	int rc = crm_record_resolve(cli->crm, k, ref, &id, &err);
	if (rc == CRM_ENOTFOUND && strspn(ref, "0123456789") == strlen(ref))
		id = atoll(ref), rc = 0;
	if (rc)
		return cli_fail(&err);
	struct crm_printer *p = cli_printer(cli, NULL, &rc);
	if (!p)
		return rc;
	rc = crm_history_print(cli->crm, k, id, p, &err);
	int frc = cli_printer_finish(cli, p);
	return rc ? cli_fail(&err) : frc;
}

int rec_history(struct cli *cli, int argc, char **argv)
{
	if (argc != 2)
		return cli_usage(cli);
	return history_of(cli, cli_kind(cli), argv[1]);
}

int cmd_history(struct cli *cli, int argc, char **argv)
{
	if (argc != 3)
		return cli_usage(cli);
	const struct crm_kind *k = crm_kind_find(argv[1]);
	if (!k)
		return cli_unknown_kind("unknown kind of record", argv[1], "account, contact, ticket, ...");
	return history_of(cli, k, argv[2]);
}

/* transition <ref> <name>|<status> [--<field> <value>]... [-m <comment>]: the workflow's move,
 * for every kind with a workflow status field (CMD_WORKFLOW). */
static int rec_transition(struct cli *cli, int argc, char **argv)
{
	if (argc < 3)
		return cli_usage(cli);
	if (argc > 3)
		return cli_error(CRM_EUSAGE, "unexpected argument '%s' (a comment goes after -m)", argv[3]);
	long long id;
	int rc = rec_need_ref(cli, argc, argv, &id);
	if (rc)
		return rc;
	struct crm_err err = { 0 };
	const char *taken;
	const struct crm_kind *k = cli_kind(cli);
	if (crm_workflow_go(cli->crm, k, id, argv[2], cli->args.set, cli->args.nset, cli_get(cli, "comment"),
			    &taken, &err))
		return cli_fail(&err);
	if (cli->verbose && taken)
		cli_info(cli, "%s %lld: %s", k->name, id, taken);
	return 0;
}

/* A shortcut for one transition: <ref> [--<field> <value>]... [-m <comment>] (task done). */
int rec_take(struct cli *cli, int argc, char **argv, const char *name)
{
	if (argc > 2)
		return cli_error(CRM_EUSAGE, "unexpected argument '%s' (a comment goes after -m)", argv[2]);
	long long id;
	int rc = rec_need_ref(cli, argc, argv, &id);
	if (rc)
		return rc;
	struct crm_err err = { 0 };
	const char *taken;
	if (crm_workflow_go(cli->crm, cli_kind(cli), id, name, cli->args.set, cli->args.nset, cli_get(cli, "comment"),
			    &taken, &err))
		return cli_fail(&err);
	return 0;
}

/* transitions <ref>: the moves the user may take now. */
static int rec_transitions(struct cli *cli, int argc, char **argv)
{
	if (argc > 2)
		return cli_error(CRM_EUSAGE, "unexpected argument '%s'", argv[2]);
	long long id;
	int rc = rec_need_ref(cli, argc, argv, &id);
	if (rc)
		return rc;
	struct crm_printer *p = cli_printer(cli, NULL, &rc);
	if (!p)
		return rc;
	struct crm_err err = { 0 };
	rc = crm_workflow_transitions_print(cli->crm, cli_kind(cli), id, p, &err);
	int frc = cli_printer_finish(cli, p);
	return rc ? cli_fail(&err) : frc;
}

/* ---------------------------------------------------------------- the generic verbs */

const struct cmd_opt cmd_list_opts[] = {
	{ "fields", 0, OPT_VALUE, "f,...", "the columns, in order ('--fields help' lists them)" },
	{ "sort", 0, OPT_VALUE, "field", "order by this field; -field for descending" },
	{ "limit", 0, OPT_VALUE, "n", "at most n rows" },
	{ NULL, 0, 0, NULL, NULL },
};

const struct cmd_opt cmd_yes_opts[] = {
	{ "yes", 'y', 0, NULL, "do not ask before changing several %p" },
	{ NULL, 0, 0, NULL, NULL },
};

const struct cmd_opt cmd_set_opts[] = {
	{ "set", 0, OPT_VALUE | OPT_MULTI, "<field>=<value>", "set a field by its name, custom fields too" },
	{ NULL, 0, 0, NULL, NULL },
};

const struct cmd_opt cmd_move_opts[] = {
	{ "comment", 'm', OPT_VALUE, "comment", "a comment on the move" },
	{ NULL, 0, 0, NULL, NULL },
};

const struct cmd_verb cmd_generic_verbs[] = {
	{ "add", NULL, rec_add, CMD_WRITE | CMD_FIELDS, "%P", "add %a; prints its number", { cmd_set_opts }, NULL, NULL },
	{ "list", "ls", rec_list, CMD_READ, "[<filter>...]", "list %p", { cmd_list_opts }, NULL, NULL },
	{ "show", NULL, rec_show, CMD_READ, "%r", "show %a", { NULL }, NULL, NULL },
	{ "edit", NULL, rec_edit, CMD_WRITE | CMD_FIELDS, "%r|<filter>...", "change %p",
	  { cmd_set_opts, cmd_yes_opts }, NULL, NULL },
	{ "rm", "remove", rec_rm, CMD_WRITE, "%r...|<filter>...", "remove %p nothing refers to", { cmd_yes_opts }, NULL, NULL },
	{ "history", NULL, rec_history, CMD_READ | CMD_CHANGES, "%r", "show who changed %a, when and how", { NULL }, NULL, NULL },
	{ "import", NULL, rec_import, CMD_WRITE, "<file>|-", "import %p from a CSV, TSV, JSON or NDJSON file", { cmd_import_opts }, NULL, NULL },
	{ "transition", "move", rec_transition, CMD_WRITE | CMD_FIELDS | CMD_WORKFLOW, "%r <transition>|<status>",
	  "move %a along its workflow", { cmd_move_opts, cmd_set_opts }, NULL, NULL },
	{ "transitions", NULL, rec_transitions, CMD_READ | CMD_WORKFLOW, "%r", "list the transitions you may take now",
	  { NULL }, NULL, NULL },
	{ "export", NULL, rec_export, CMD_READ, "[<filter>...]", "export %p to csv, tsv, json, ndjson, yaml or xlsx",
	  { cmd_export_opts }, NULL, NULL },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};

int rec_write_text(struct cli *cli, const char *text)
{
	if (!cli->output) {
		fputs(text, stdout);
		return 0;
	}
	struct crm_err err = { 0 };
	if (cli_out_open(&cli->out, cli->output, &err))
		return cli_fail(&err);
	size_t len = strlen(text), off = 0;
	int ok = 1;
	while (ok && off < len) {
		ssize_t w = write(cli->out.fd, text + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		ok = w > 0;
		off += ok ? (size_t)w : 0;
	}
	if (!ok) {
		cli_out_close(&cli->out, 0, &err);
		return cli_error(CRM_EFAIL, "cannot write '%s': %s", cli->output, strerror(errno));
	}
	return cli_out_close(&cli->out, 1, &err) ? cli_fail(&err) : 0;
}

/* duplicates [--rule R]...: groups of likely duplicates of the noun's kind (crm/dedupe.h). */
int rec_duplicates(struct cli *cli, int argc, char **argv)
{
	if (argc > 1)
		return cli_error(CRM_EUSAGE, "unexpected argument '%s'", argv[1]);
	const char *rules[32];
	int nrules = cli_getv(cli, "rule", rules, 32);
	int rc = 0;
	struct crm_printer *p = cli_printer(cli, NULL, &rc);
	if (!p)
		return rc;
	struct crm_err err = { 0 };
	long long groups = 0;
	rc = crm_duplicates_print(cli->crm, cli_kind(cli), rules, nrules, p, &groups, &err);
	cli->out.failed = rc != 0;
	int frc = cli_printer_finish(cli, p);
	if (rc)
		return cli_fail(&err);
	if (!frc)
		cli_info(cli, "%lld %s of likely duplicates%s%s%s", groups, groups == 1 ? "group" : "groups",
			 groups ? "; crm " : "", groups ? cli->noun->name : "", groups ? " merge KEEP OTHER merges two" : "");
	return frc;
}

/* merge <keep> <other>: other merged into keep, said with the number that undoes it. */
int rec_merge(struct cli *cli, int argc, char **argv)
{
	if (argc != 3)
		return cli_usage(cli);
	const struct crm_kind *k = cli_kind(cli);
	long long keep, other;
	struct crm_err err = { 0 };
	if (crm_record_resolve(cli->crm, k, argv[1], &keep, &err) || crm_record_resolve(cli->crm, k, argv[2], &other, &err))
		return cli_fail(&err);
	char *label = crm_record_label(cli->crm, k, other);
	struct crm_merge_result res;
	if (crm_record_merge(cli->crm, k, keep, other, &res, &err)) {
		free(label);
		return cli_fail(&err);
	}
	printf("%lld\n", res.merge);
	char dropped[64] = "";
	if (res.dropped)
		snprintf(dropped, sizeof dropped, ", %lld left out (the kept one had them)", res.dropped);
	cli_info(cli, "merged %s %lld '%s' into %lld (merge %lld): %d %s filled, %lld %s moved%s; "
		 "crm merge undo %lld puts both back", k->name, other, label ? label : "?", keep, res.merge, res.filled,
		 res.filled == 1 ? "field" : "fields", res.moved, res.moved == 1 ? "row" : "rows", dropped, res.merge);
	free(label);
	return 0;
}

const struct cmd_opt rec_duplicates_opts[] = {
	{ "rule", 0, OPT_VALUE | OPT_MULTI, "rule", "a rule by name, or fields joined by + (last_name+phone, name+country); "
	  "repeatable; default: the configuration's duplicates.<kind>" },
	{ NULL, 0, 0, NULL, NULL },
};
