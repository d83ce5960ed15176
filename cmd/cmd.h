/* The command side: argv, usage text, exit codes. Includes only include/crm/ headers. */
#ifndef CRM_CMD_H
#define CRM_CMD_H

#include <stdio.h>
#include "crm/config.h"
#include "crm/crm.h"
#include "crm/kind.h"
#include "crm/printer.h"

struct cmd_noun;

/* What main() learned from the global options, shared by every command. */
struct cli {
	struct crm_config *cfg;
	struct crm *crm;          /* opened by dispatch unless the verb is CMD_NODB */
	int format;               /* -1: not given */
	const char *output;       /* -o FILE */
	FILE *outfile;            /* opened for -o by cli_printer */
	int quiet, verbose, color, headers, yes;
	int stdout_tty;
	const char *cmdline;      /* the whole command, for report metadata */
	int excel_bom, neutralise; /* csv/tsv output of export: byte-order mark, formula guard */
	const struct cmd_noun *noun;
	const struct cmd_verb *verb;
};

enum cmd_flags {
	CMD_READ  = 0,
	CMD_WRITE = 1 << 0, /* changes data: checks the "<noun>.<verb>" permission first */
	CMD_NODB  = 1 << 1, /* needs no database */
};

struct cmd_verb {
	const char *name;
	const char *alias;
	int (*run)(struct cli *cli, int argc, char **argv); /* argv[0] is the verb; returns an exit code */
	unsigned flags;
	const char *usage;   /* arguments after "crm <noun> <verb>" */
	const char *summary;
};

struct cmd_noun {
	const char *name;
	const char *kind;              /* the record kind the generic verbs serve, or NULL */
	const struct cmd_verb *verbs;  /* NULL-name terminated */
	const char *summary;
	/* Nouns without verbs (history, init, help): run with argv[0] the noun. */
	int (*run)(struct cli *cli, int argc, char **argv);
	unsigned flags;
	const char *usage;
};

/* The command table (cmd/main.c) and each noun's verbs. */
extern const struct cmd_noun cmd_nouns[];
extern const struct cmd_verb cmd_account_verbs[], cmd_location_verbs[], cmd_contact_verbs[],
	cmd_user_verbs[], cmd_config_verbs[];
/* The relationship manager (issue 4): cmd/activity.c, project.c, contract.c, doc.c. */
extern const struct cmd_verb cmd_activity_verbs[], cmd_project_verbs[], cmd_contract_verbs[],
	cmd_doc_verbs[];
/* Tickets, their workflow, SLA alerts, notifications, reports (issue 5): cmd/ticket.c,
 * workflow.c, alert.c, notify.c, report.c. */
extern const struct cmd_verb cmd_ticket_verbs[], cmd_workflow_verbs[], cmd_alert_verbs[],
	cmd_notify_verbs[], cmd_report_verbs[];
/* Relationship views (cmd/relations.c). A titled list of the records of `kind` matching terms:
 * under `key` in structured output (p), else a heading and a line each (nothing when empty). */
int rel_section(struct cli *cli, struct crm_printer *p, const char *title, const char *key, const char *kind,
		const char *const *terms, int nterms, const char *const *fields, int nfields, long long limit);
/* What account show lists besides locations and contacts: projects, contracts, recent
 * activities, documents. */
int rel_account_sections(struct cli *cli, struct crm_printer *p, long long id);
/* show for contacts, projects, contracts, activities: the fields, then the related records. */
int rel_show(struct cli *cli, int argc, char **argv);
/* Child records under a verb of their parent (project cost ..., contract line ...), in
 * cmd/project.c: add from positional words (the last takes the rest) and --field options,
 * list those whose `field` names the parent, rm by number. */
int sub_is(const char *word, const char *name, const char *alias);
int sub_add(struct cli *cli, const char *kind, const char *const *positional, int npositional, int argc,
	    char **argv);
int sub_list(struct cli *cli, const char *kind, const char *field, int argc, char **argv);
int sub_rm(struct cli *cli, const char *kind, int argc, char **argv);
int cmd_history(struct cli *cli, int argc, char **argv);
int cmd_init(struct cli *cli, int argc, char **argv);
int cmd_help(struct cli *cli, int argc, char **argv);
int cmd_complete(struct cli *cli, int argc, char **argv);

/* Generic verbs over the noun's kind (cmd/records.c). */
int rec_add(struct cli *cli, int argc, char **argv);
/* argv[1] as a record of the noun's kind: an option there is a usage error, a name that does
 * not resolve is reported; returns an exit code (0 with *id set). */
int rec_need_ref(struct cli *cli, int argc, char **argv, long long *id);
/* Add a record from assignments and print its number alone; returns an exit code. */
struct crm_assign;
int rec_add_print(struct cli *cli, const struct crm_kind *k, const struct crm_assign *set, int nset);
int rec_list(struct cli *cli, int argc, char **argv);
int rec_show(struct cli *cli, int argc, char **argv);
int rec_edit(struct cli *cli, int argc, char **argv);
int rec_rm(struct cli *cli, int argc, char **argv);
int rec_history(struct cli *cli, int argc, char **argv);
/* Bulk import and export of any kind (cmd/transfer.c) and the import batches (cmd/import.c). */
int rec_import(struct cli *cli, int argc, char **argv);
int rec_export(struct cli *cli, int argc, char **argv);
extern const struct cmd_verb cmd_import_verbs[];
#define CMD_IMPORT_USAGE "<file>|- [--mode create|update|upsert] [--key <field,...>] [--map <Header=field>]... " \
	"[--profile <name>] [--delimiter <c>] [--encoding <enc>] [--ignore-extra] [--create-missing] " \
	"[--partial] [--dry-run] [--diff] [--reject <file>] [--raw]"
#define CMD_EXPORT_USAGE "[<filter>...] [--fields <f,...>] [--sort <field>] [--excel] [--raw] [-o <file>]"
/* Print one record's fields as "name: value" lines or as a map (json/yaml). */
int rec_print_fields(struct cli *cli, struct crm_printer *p, const struct crm_kind *k, long long id,
		     const char *indent);
/* Does show print the record as one table row (csv, tsv, xlsx, or a table into -o FILE)? */
int rec_show_as_row(const struct cli *cli);
/* Print one record's fields as a header and one row, to stdout or -o. */
int rec_print_row(struct cli *cli, const struct crm_kind *k, long long id);

/* Helpers (cmd/common.c). */
const struct crm_kind *cli_kind(const struct cli *cli);
/* Report err on stderr as "crm: message" and return its code. */
int cli_fail(const struct crm_err *err);
/* Print "crm: ..." on stderr and return code. */
int cli_error(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cli_info(const struct cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The format for data output: -F, else -o's extension, else table on a terminal, tsv elsewhere. */
enum crm_format cli_format(const struct cli *cli);
/* A printer for stdout or -o; NULL (error printed, *rc set) on failure. */
struct crm_printer *cli_printer(struct cli *cli, const char *filter_text, int *rc);
int cli_printer_finish(struct cli *cli, struct crm_printer *p);
/* Is the format a structured one (json, ndjson, yaml)? */
int cli_structured(const struct cli *cli);
/* Usage of the current verb to stderr; returns 2. */
int cli_usage(const struct cli *cli);
/* Is argv[i] == opt, taking a value from "--opt=value" or the next word? Advances *i. */
int cli_opt(int argc, char **argv, int *i, const char *opt, const char **value, int *rc);
int cli_confirm(const struct cli *cli, const char *question);

/* Suggest the closest names: "did you mean 'x'?" (empty string if none close). */
void cli_suggest(const char *word, const char *const *names, int n, char *out, size_t outsz);

#endif
