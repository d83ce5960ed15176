/* The verbs every kind of record shares, served from the kind's descriptor: add, list, show,
 * edit, rm, history. A noun's own file adds only what is special to it. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "crm/auth.h"
#include "crm/date.h"
#include "crm/filter.h"
#include "crm/record.h"

#define MAX_ASSIGN 128

/* Parse "--field value", "--field=value" and "--set field=value" into assignments. Words that
 * are not options go to *pos. Returns 0 or an exit code. */
static int parse_assignments(struct cli *cli, const struct crm_kind *k, int argc, char **argv,
			     struct crm_assign *set, int *nset, char **pos, int *npos, char **owned,
			     int *nowned)
{
	int rc = 0;
	for (int i = 1; i < argc && !rc; i++) {
		const char *a = argv[i], *v;
		if (strcmp(a, "--") == 0) {
			while (++i < argc)
				pos[(*npos)++] = argv[i];
			break;
		}
		if (strcmp(a, "--yes") == 0 || strcmp(a, "-y") == 0) {
			cli->yes = 1;
			continue;
		}
		if (a[0] != '-' || a[1] != '-' || a[2] == '\0') {
			pos[(*npos)++] = argv[i];
			continue;
		}
		if (*nset >= MAX_ASSIGN)
			return cli_error(CRM_EUSAGE, "too many fields");
		if (cli_opt(argc, argv, &i, "--set", &v, &rc)) {
			if (rc)
				return rc;
			const char *eq = strchr(v, '=');
			if (!eq || eq == v)
				return cli_error(CRM_EUSAGE, "--set takes field=value, not '%s'", v);
			char *name = strndup(v, (size_t)(eq - v));
			owned[(*nowned)++] = name;
			set[*nset].field = name;
			set[(*nset)++].value = eq + 1;
			continue;
		}
		/* --<field> [value]: the field's name with dashes or underscores. */
		const char *name = a + 2;
		const char *eq = strchr(name, '=');
		char *fname = eq ? strndup(name, (size_t)(eq - name)) : strdup(name);
		owned[(*nowned)++] = fname;
		int as_id;
		const struct crm_field *f = crm_kind_field(k, fname, &as_id);
		if (!f || (f->flags & CRM_FF_READONLY)) {
			const char *names[64];
			int n = 0;
			for (int j = 0; j < k->nfields && n < 64; j++)
				if (!(k->fields[j].flags & CRM_FF_READONLY))
					names[n++] = k->fields[j].name;
			char hint[256];
			cli_suggest(fname, names, n, hint, sizeof hint);
			if (f)
				return cli_error(CRM_EUSAGE, "field '%s' of %s cannot be set", f->name, k->name);
			return cli_error(CRM_EUSAGE, "unknown option '%s' for %s %s%s%s%s", a, k->name,
					 cli->verb->name, *hint ? "; did you mean " : "", hint, *hint ? "?" : "");
		}
		if (eq) {
			v = eq + 1;
		} else if (i + 1 < argc) {
			v = argv[++i];
		} else {
			return cli_error(CRM_EUSAGE, "option '%s' needs a value", a);
		}
		set[*nset].field = fname;
		set[(*nset)++].value = v;
	}
	return rc;
}

static void free_owned(char **owned, int n)
{
	for (int i = 0; i < n; i++)
		free(owned[i]);
}

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
	if (npos == 1 && nf == 2 && strrchr(pos[0], ' ')) {
		const char *sp = strrchr(pos[0], ' ');
		char *first = strndup(pos[0], (size_t)(sp - pos[0]));
		owned[(*nowned)++] = first;
		set[*nset].field = names[0];
		set[(*nset)++].value = first;
		set[*nset].field = names[1];
		set[(*nset)++].value = sp + 1;
		return 0;
	}
	if (npos == 1 && nf == 2) { /* a single word is the last name: "crm contact add Smith" */
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
	const struct crm_kind *k = cli_kind(cli);
	struct crm_assign set[MAX_ASSIGN + 8];
	char *pos[256], *owned[MAX_ASSIGN + 16];
	int nset = 0, npos = 0, nowned = 0;
	if (argc > 256 + MAX_ASSIGN)
		return cli_error(CRM_EUSAGE, "too many arguments");
	int rc = parse_assignments(cli, k, argc, argv, set + 2, &nset, pos, &npos, owned, &nowned);
	if (!rc) {
		/* Positional fields go first so that an explicit --field wins. */
		struct crm_assign head[4];
		int nhead = 0;
		rc = positional_assign(k, pos, npos, head, &nhead, owned, &nowned);
		if (!rc) {
			memmove(set + nhead, set + 2, (size_t)nset * sizeof *set);
			memcpy(set, head, (size_t)nhead * sizeof *set);
			nset += nhead;
		}
	}
	if (!rc) {
		rc = rec_add_print(cli, k, set, nset);
	}
	free_owned(owned, nowned);
	return rc;
}

static void print_field_help(const struct crm_kind *k)
{
	const char *names[128];
	int n = crm_query_field_names(k, names, 128);
	for (int i = 0; i < n; i++) {
		int as_id;
		const struct crm_field *f = crm_kind_field(k, names[i], &as_id);
		printf("%-20s %-10s %s%s\n", names[i], as_id ? "integer" : crm_ftype_name(f->type),
		       as_id ? "number of the " : "", as_id ? f->name : f->help);
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

int rec_list(struct cli *cli, int argc, char **argv)
{
	const struct crm_kind *k = cli_kind(cli);
	const char *terms[256], *fields[128];
	int nterms = 0, nfields = 0, rc = 0;
	struct crm_query q = { .kind = k };
	char *fieldcopy = NULL;
	for (int i = 1; i < argc; i++) {
		const char *v;
		if (strcmp(argv[i], "--") == 0) { /* the rest are filter terms, even "--x" */
			while (++i < argc && nterms < 256)
				terms[nterms++] = argv[i];
			break;
		}
		if (cli_opt(argc, argv, &i, "--fields", &v, &rc)) {
			if (rc)
				goto out;
			if (strcmp(v, "help") == 0) {
				print_field_help(k);
				goto out;
			}
			free(fieldcopy);
			nfields = split_fields(v, &fieldcopy, fields, 128);
		} else if (cli_opt(argc, argv, &i, "--sort", &v, &rc)) {
			if (rc)
				goto out;
			q.sort = v;
		} else if (cli_opt(argc, argv, &i, "--limit", &v, &rc)) {
			if (rc)
				goto out;
			char *end;
			q.limit = strtoll(v, &end, 10);
			if (*end || q.limit < 0) {
				rc = cli_error(CRM_EUSAGE, "--limit takes a number, not '%s'", v);
				goto out;
			}
		} else if (argv[i][0] == '-' && argv[i][1] == '-' && argv[i][2]) {
			rc = cli_error(CRM_EUSAGE, "unknown option '%s' for %s list", argv[i], k->name);
			goto out;
		} else if (nterms < 256) {
			terms[nterms++] = argv[i];
		}
	}
	q.terms = terms;
	q.nterms = nterms;
	q.fields = nfields ? fields : NULL;
	q.nfields = nfields;
	struct strbuf_filter { char text[1024]; } ft = { "" };
	for (int i = 0; i < nterms; i++) {
		size_t l = strlen(ft.text);
		snprintf(ft.text + l, sizeof ft.text - l, "%s%s", i ? " " : "", terms[i]);
	}
	struct crm_printer *p = cli_printer(cli, ft.text, &rc);
	if (!p)
		goto out;
	struct crm_err err = { 0 };
	rc = crm_query_print(cli->crm, &q, p, NULL, &err);
	int frc = cli_printer_finish(cli, p);
	if (rc)
		rc = cli_fail(&err);
	else
		rc = frc;
out:
	free(fieldcopy);
	return rc;
}

int rec_print_fields(struct cli *cli, struct crm_printer *p, const struct crm_kind *k, long long id,
		     const char *indent)
{
	char term[48];
	snprintf(term, sizeof term, "id:%lld", id);
	const char *terms[] = { term }, *all[] = { "all" };
	struct crm_query q = { .kind = k, .terms = terms, .nterms = 1, .fields = all, .nfields = 1 };
	struct crm_cursor *c;
	struct crm_err err = { 0 };
	int rc = crm_query_open(cli->crm, &q, &c, &err);
	if (rc)
		return cli_fail(&err);
	const struct crm_value *cells;
	int n = crm_cursor_ncols(c);
	const char *const *names = crm_cursor_names(c);
	if ((rc = crm_cursor_next(c, &cells, &err)) == 1) {
		for (int i = 0; i < n; i++) {
			if (p) {
				crm_printer_key(p, names[i]);
				crm_printer_value(p, &cells[i]);
			} else if (cells[i].text) {
				char local[64];
				const char *text = cells[i].text;
				/* Local time for a person; ISO UTC for scripts, as CONVENTIONS.md says. */
				if (cells[i].type == CRM_V_TIME && cli->stdout_tty) {
					crm_time_local_display(text, local, sizeof local);
					text = local;
				}
				printf("%s%-19s %s\n", indent, names[i], text);
			}
		}
		rc = CRM_OK;
	} else {
		rc = rc < 0 ? cli_fail(&err) : cli_error(CRM_ENOTFOUND, "%s %lld not found", k->name, id);
	}
	crm_cursor_close(c);
	return rc;
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
	char term[48];
	snprintf(term, sizeof term, "id:%lld", id);
	const char *terms[] = { term }, *all[] = { "all" };
	struct crm_query q = { .kind = k, .terms = terms, .nterms = 1, .fields = all, .nfields = 1 };
	int rc;
	struct crm_printer *p = cli_printer(cli, NULL, &rc);
	if (!p)
		return rc;
	struct crm_err err = { 0 };
	rc = crm_query_print(cli->crm, &q, p, NULL, &err);
	int frc = cli_printer_finish(cli, p);
	return rc ? cli_fail(&err) : frc;
}

/* Resolve argv[1] as a record of the noun's kind, or print the error. */
int rec_need_ref(struct cli *cli, int argc, char **argv, long long *id)
{
	if (argc < 2)
		return cli_usage(cli);
	/* An option here is a mistake, not the name of a record. */
	if (argv[1][0] == '-' && argv[1][1] == '-' && argv[1][2])
		return cli_error(CRM_EUSAGE, "unknown option '%s' for %s %s", argv[1], cli->noun->name,
				 cli->verb->name);
	struct crm_err err = { 0 };
	int rc = crm_record_resolve(cli->crm, cli_kind(cli), argv[1], id, &err);
	return rc ? cli_fail(&err) : 0;
}

int rec_show(struct cli *cli, int argc, char **argv)
{
	long long id;
	int rc = rec_need_ref(cli, argc, argv, &id);
	if (rc)
		return rc;
	if (argc > 2)
		return cli_error(CRM_EUSAGE, "unexpected argument '%s'", argv[2]);
	if (rec_show_as_row(cli))
		return rec_print_row(cli, cli_kind(cli), id);
	if (!cli_structured(cli))
		return rec_print_fields(cli, NULL, cli_kind(cli), id, "");
	struct crm_printer *p = cli_printer(cli, NULL, &rc);
	if (!p)
		return rc;
	crm_printer_begin_map(p);
	rc = rec_print_fields(cli, p, cli_kind(cli), id, "");
	crm_printer_end(p);
	int frc = cli_printer_finish(cli, p);
	return rc ? rc : frc;
}

/* Records named by filter terms (bulk) rather than one reference. */
static int select_ids(struct cli *cli, const struct crm_kind *k, char **terms, int nterms,
		      long long **ids, int *nids)
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
	int rc = select_ids(cli, k, pos, npos, ids, nids);
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
	struct crm_assign set[MAX_ASSIGN];
	char *pos[256], *owned[MAX_ASSIGN + 16];
	int nset = 0, npos = 0, nowned = 0;
	long long *ids = NULL;
	int nids = 0;
	if (argc > 256 + MAX_ASSIGN)
		return cli_error(CRM_EUSAGE, "too many arguments");
	int rc = parse_assignments(cli, k, argc, argv, set, &nset, pos, &npos, owned, &nowned);
	if (!rc && !nset)
		rc = cli_error(CRM_EUSAGE, "nothing to change: give --<field> <value> (see crm %s edit --help)",
			       k->name);
	if (!rc)
		rc = target_ids(cli, "edit", pos, npos, &ids, &nids);
	if (!rc && nids) {
		struct crm_err err = { 0 };
		int total = 0;
		rc = crm_record_edit_many(cli->crm, k, ids, nids, set, nset, &total, &err);
		if (rc)
			rc = cli_fail(&err);
		else if (cli->verbose || nids > 1)
			cli_info(cli, "%d %s changed", total, total == 1 ? k->name : k->plural);
	}
	free(ids);
	free_owned(owned, nowned);
	return rc;
}

int rec_rm(struct cli *cli, int argc, char **argv)
{
	const struct crm_kind *k = cli_kind(cli);
	char *pos[256];
	int npos = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) { /* the rest name records, even "--x" */
			while (++i < argc && npos < 256)
				pos[npos++] = argv[i];
			break;
		}
		if (strcmp(argv[i], "--yes") == 0 || strcmp(argv[i], "-y") == 0)
			cli->yes = 1;
		else if (argv[i][0] == '-' && argv[i][1] == '-' && argv[i][2])
			return cli_error(CRM_EUSAGE, "unknown option '%s' for %s rm", argv[i], k->name);
		else if (npos < 256)
			pos[npos++] = argv[i];
	}
	long long *ids = NULL;
	int nids = 0;
	int rc = target_ids(cli, "remove", pos, npos, &ids, &nids);
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
	if (ref[0] == '-' && ref[1] == '-' && ref[2])
		return cli_error(CRM_EUSAGE, "unknown option '%s' for %s history", ref, k->name);
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
		return cli_error(CRM_EUSAGE, "unknown kind of record '%s'", argv[1]);
	return history_of(cli, k, argv[2]);
}
