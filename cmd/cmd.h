/* The command side: argv, usage text, exit codes. Includes only include/crm/ headers. */
#ifndef CRM_CMD_H
#define CRM_CMD_H

#include <stdio.h>
#include <sys/types.h>
#include "crm/config.h"
#include "crm/crm.h"
#include "crm/kind.h"
#include "crm/printer.h"
#include "crm/record.h"

struct cmd_noun;

struct cli;

enum cmd_flags {
	CMD_READ   = 0,      /* opens the database read-only: never creates nor changes it */
	CMD_WRITE  = 1 << 0, /* changes data: checks the "<noun>.<verb>" permission first */
	CMD_NODB   = 1 << 1, /* needs no database */
	CMD_READWRITE = 1 << 3, /* opens read-write (creating or upgrading the database) but checks
				 * no permission itself: init */
	CMD_FIELDS = 1 << 2, /* takes --<field> <value> for every settable field of the kind
			      * (custom ones included) and --set <field>=<value> */
	CMD_CHANGES = 1 << 4, /* a generic verb about the changes users make (history) */
	CMD_RDONLY = 1 << 5,  /* noun: its kind is what crm keeps about its own work (alerts,
			       * notifications, import batches): the generic verbs that write or
			       * show changes (CMD_WRITE, CMD_CHANGES) are refused, centrally */
	CMD_NOPAGER = 1 << 6, /* never through the pager: prints bytes (doc get) or works at length
			       * with progress on stderr (db copy) */
	CMD_WORKFLOW = 1 << 7, /* a generic verb served only to kinds whose descriptor has a
				* workflow status field (CRM_FF_WORKFLOW): transition, transitions */
	CMD_STDIN = 1 << 8,   /* a write that always reads standard input (import-mail): it is kept
			       * for a retry (cli_stdin_spool) */
};

/* One option of a verb: --name, or -alias, with a value or not. The parser (cmd/options.c),
 * the help, the completions and the man page test all read these tables. */
enum cmd_opt_flags {
	OPT_VALUE = 1 << 0, /* takes a value: --name v or --name=v */
	OPT_MULTI = 1 << 1, /* may be repeated; every value is kept */
	OPT_OPTIONAL = 1 << 2, /* a value only as --name=v (--color[=WHEN]) */
	OPT_UNLESS = 1 << 3,   /* term: added to the filter when the option is NOT given (--all) */
	OPT_ME = 1 << 4,       /* the value "me" is the current user's login (--user me) */
	OPT_WRITES = 1 << 5,   /* given, the command writes (search --rebuild): the database is
				* opened read-write and the permission "<noun>.<option>" checked */
};

struct cmd_opt {
	const char *name;  /* without the dashes: "fields"; NULL ends a table */
	char alias;        /* -y for --yes, or 0 */
	unsigned flags;
	const char *meta;  /* the value's placeholder in the usage: "f,..." */
	const char *help;
	/* Optional: a filter term the option adds to the generic list (rec_list), "%s" being its
	 * value and "%u" the current user: --pending "delivered:", --account "account:%s",
	 * --mine "to:%u". */
	const char *term;
};

#define CMD_OPTSETS 3

struct cmd_verb {
	const char *name;
	const char *alias;
	int (*run)(struct cli *cli, int argc, char **argv); /* argv[0] is the verb, then the
							      * positional words; NULL in a noun's
							      * table: the noun does not take this
							      * generic verb */
	unsigned flags;
	const char *usage;   /* the positional arguments after "crm <noun> <verb>"; the options
			      * are added from opts */
	const char *summary;
	const struct cmd_opt *opts[CMD_OPTSETS]; /* the option tables it takes, in order */
	const struct cmd_verb *sub; /* sub-verbs (crm project cost add ...), over kind sub_kind */
	const char *sub_kind;
};

struct cmd_noun {
	const char *name;
	const char *kind;              /* the record kind the generic verbs serve, or NULL */
	const struct cmd_verb *verbs;  /* what is special to the noun; NULL-name terminated */
	const char *summary;
	/* Nouns without verbs (history, init, help): run with argv[0] the noun. */
	int (*run)(struct cli *cli, int argc, char **argv);
	unsigned flags;
	const char *usage;
	/* Optional: the options of a noun without verbs (agenda, calendar), parsed as a verb's. */
	const struct cmd_opt *opts;
};

/* What one verb's options came to: options in the order given, and field assignments. */
#define CMD_MAX_SEEN 256
struct cmd_args {
	struct { const struct cmd_opt *opt; const char *value; } seen[CMD_MAX_SEEN];
	int nseen;
	struct crm_assign *set; /* --<field> value and --set field=value, in order */
	int nset;
	char **owned;           /* field names copied out of argv */
	int nowned;
};

/* What main() learned from the global options, shared by every command. */
/* A file named by -o, written safely (cli_out_open/cli_out_close): a regular file through a
 * temporary file beside it, renamed over it only once complete and given the mode the file had
 * (a new one gets the mode any new file would); a device, a FIFO or a file with other hard
 * links in place; a symbolic link refused, so a name never leads out of its directory. */
struct cli_out {
	const char *path;
	char *tmp;     /* the temporary file, NULL when writing straight to the target */
	int fd;        /* where the content goes (tmp, or the target); -1: not open */
	int target;    /* a target written where it is once complete (a hard-linked file, or a
			* device or FIFO behind cli_out_name), else -1 */
	int in_place;  /* the target is written where it is, never replaced nor removed */
	int failed;    /* set by a verb whose output failed: cli_printer_finish discards the file */
	unsigned mode; /* for the renamed file */
	uid_t uid;     /* owner and group of the file replaced, kept where allowed; -1: none */
	gid_t gid;
	int no_replace; /* an existing regular file is refused (exit 4), also one made meanwhile */
};
/* Open -o path: a regular file (new, or replaced) through a temporary file beside it, renamed
 * over it once complete with the old one's mode; a hard-linked file through a temporary file
 * copied into it once complete; a device or FIFO written directly; a symbolic link, a
 * directory, a read-only file or the open database refused. */
int cli_out_open(struct cli_out *o, const char *path, struct crm_err *err);
/* The same, but without force an existing regular file is a conflict (exit 4), checked again
 * when the file is put in place (a link, not a rename, so one made meanwhile is not replaced). */
int cli_out_open_new(struct cli_out *o, const char *path, int force, struct crm_err *err);
/* A file name for writers that take one (libxlsxwriter): the temporary file, or for a device
 * or FIFO a spool file in TMPDIR copied there once complete. NULL (err set) when none. */
const char *cli_out_name(struct cli_out *o, const struct cli *cli, struct crm_err *err);
/* Finish: with ok, sync and rename into place (an error if that fails); without, discard. */
int cli_out_close(struct cli_out *o, int ok, struct crm_err *err);

struct cli {
	struct crm_config *cfg;
	struct crm_env env;       /* the environment, read once by main */
	struct crm *crm;          /* opened by dispatch unless the verb is CMD_NODB */
	int format;               /* -1: not given */
	const char *format_text;  /* merge: --format as typed (txt, md or eml: its files' format,
				   * checked there), the printer's format left unset */
	const char *output;       /* -o FILE */
	FILE *outfile;            /* opened for -o by cli_printer */
	struct cli_out out;       /* where outfile (or the xlsx workbook) goes */
	int quiet, verbose, color, headers, yes;
	int stdout_tty;           /* stays 1 when stdout became the pager's pipe */
	int no_pager;             /* --no-pager */
	const char *config_path;  /* --config or CRM_CONFIG: the file replacing the search, or NULL */
	const char *cmdline;      /* the whole command, for report metadata */
	int excel_bom, neutralise; /* csv/tsv output of export: byte-order mark, formula guard */
	int raw;                  /* --raw: no formula guard (export, -o files), keep the ' (import) */
	const struct cmd_noun *noun;
	const struct cmd_verb *verb;
	const struct cmd_verb *parent; /* the verb above a sub-verb (cost in project cost add) */
	const char *kind;              /* the record kind the verb serves, or NULL */
	struct cmd_args args;          /* the verb's options, parsed */
	char path[96];                 /* "account add", "project cost list": for messages */
};

/* The verbs every noun with a kind takes (cmd/records.c): add, list, show, edit, rm, history,
 * import, export. A noun's own table holds only what is special to it: more verbs, overrides
 * by name, or a row with run NULL for a generic verb it does not take. */
extern const struct cmd_verb cmd_generic_verbs[];
/* The option tables of the generic verbs, for nouns' verbs that take the same. */
extern const struct cmd_opt cmd_move_opts[], cmd_list_opts[], cmd_yes_opts[], cmd_set_opts[], cmd_import_opts[], cmd_export_opts[];
/* The verb of noun called name (or alias), its own or a generic one; NULL if none. */
const struct cmd_verb *cmd_find_verb(const struct cmd_noun *n, const char *name);
/* The same for the sub-verbs of a verb (cost add). */
const struct cmd_verb *cmd_find_sub(const struct cmd_verb *parent, const char *name);
/* The i-th verb of a noun (or sub-verb of a verb), generic ones first (overridden in place,
 * refused ones left out), then its own; NULL past the end. */
const struct cmd_verb *cmd_verb_at(const struct cmd_noun *n, int i);
const struct cmd_verb *cmd_sub_at(const struct cmd_verb *parent, int i);
/* A usage or summary template for kind k: %k the kind, %a with its article, %p its plural,
 * %r "<kind>", %P the positional fields of add. */
void cmd_expand(const char *tmpl, const struct crm_kind *k, char *out, size_t size);
/* The usage after "crm <noun> <verb> ": the arguments, then the options from the tables. */
void cmd_usage_text(const struct cmd_verb *v, const struct crm_kind *k, char *out, size_t size);
/* crm __complete after the verb (cmd/complete.c): prints candidates for cur, given the words
 * between the verb and it; 0 when cur is an option for the caller to list. */
int cmd_complete_global(const char *prev, const char *cur);
int cmd_complete_args(struct cli *cli, const struct cmd_verb *v, const char *kind, char **after, int nafter,
		      const char *cur);
void cmd_complete_history(struct cli *cli, const char *kind, const char *cur);
/* A verb's help: usage, summary, options, fields. path is "account add". */
void cmd_print_verb_help(const char *path, const struct cmd_verb *v, const struct crm_kind *k, FILE *out);
/* The same for the record ref names (the verb's first argument): of the custom fields, only
 * those whose scope takes it. */
void cmd_print_record_help(struct cli *cli, const char *path, const struct cmd_verb *v, const struct crm_kind *k,
			   const char *ref, FILE *out);
/* Every option a verb takes as "--name" (fields too for CMD_FIELDS); returns how many. */
int cmd_option_names(const struct cmd_verb *v, const struct crm_kind *k, char names[][64], int max);
/* Parse argv (argv[0] the verb) by the verb's option tables: options go to cli->args, the
 * positional words stay in argv[1..*argc). Returns 0, an exit code, or -1 after printing the
 * help for -h/--help (exit 0). */
int cmd_parse(struct cli *cli, const char *path, const struct cmd_verb *v, const struct crm_kind *k, int *argc,
	      char **argv);
void cmd_args_free(struct cmd_args *a);

/* The value of option name (the last one given), or NULL. */
const char *cli_get(const struct cli *cli, const char *name);
/* How many times option name was given. */
int cli_has(const struct cli *cli, const char *name);
/* The values of a repeatable option, in order: up to max into out; returns how many. */
int cli_getv(const struct cli *cli, const char *name, const char **out, int max);

/* The global options (cmd/main.c): taken out of argv wherever they stand before "--"; the
 * global help, the completions and the did-you-mean of unknown options read this table. */
extern const struct cmd_opt cmd_global_opts[];
/* The command table (cmd/main.c) and each noun's verbs. */
extern const struct cmd_noun cmd_nouns[];
extern const struct cmd_verb cmd_account_verbs[], cmd_contact_verbs[], cmd_config_verbs[], cmd_user_verbs[];
/* The relationship manager (issue 4): cmd/activity.c, project.c, contract.c, doc.c. */
extern const struct cmd_verb cmd_activity_verbs[], cmd_project_verbs[], cmd_contract_verbs[],
	cmd_doc_verbs[];
/* Tickets, their workflow, SLA alerts, notifications, reports (issue 5): cmd/ticket.c,
 * workflow.c, alert.c, notify.c, report.c. */
extern const struct cmd_verb cmd_ticket_verbs[], cmd_workflow_verbs[], cmd_alert_verbs[],
	cmd_notify_verbs[], cmd_report_verbs[];
/* Tasks and events, groups (issue 11): cmd/task.c, cmd/event.c, cmd/group.c. */
extern const struct cmd_verb cmd_task_verbs[], cmd_event_verbs[], cmd_group_verbs[];
/* The parts of a project's plan (cmd/deliverable.c). */
extern const struct cmd_verb cmd_deliverable_verbs[];
extern const struct cmd_verb cmd_milestone_verbs[];
/* Runs of task processes (issue 11, cmd/process.c): start, list, show. */
extern const struct cmd_verb cmd_process_verbs[];
/* Distribution lists (issue 14, cmd/list.c): members, add-member, rm-member. */
extern const struct cmd_verb cmd_list_verbs[];
extern const struct cmd_verb cmd_campaign_verbs[];
/* The agenda and the calendar (cmd/agenda.c): nouns without verbs, with options. */
extern const struct cmd_opt cmd_agenda_opts[], cmd_calendar_opts[];
/* crm attr (cmd/attr.c): key=value attributes on any record. */
extern const struct cmd_verb cmd_attr_verbs[];
/* crm search (cmd/search.c): a noun without verbs, with options. */
extern const struct cmd_opt cmd_search_opts[];
int cmd_search(struct cli *cli, int argc, char **argv);
int cmd_agenda(struct cli *cli, int argc, char **argv);
int cmd_calendar(struct cli *cli, int argc, char **argv);
/* Sales (issue 12, cmd/sales.c): opportunities' own verbs, and the pipeline, a noun with options;
 * cmd_pipeline_terms makes its options filter terms (report export pipeline takes them too),
 * returning how many of them it allocated into owned (at most 3, the caller frees). */
extern const struct cmd_verb cmd_opportunity_verbs[];
/* Offers (issue 12, cmd/offer.c). */
extern const struct cmd_verb cmd_offer_verbs[];
extern const struct cmd_opt cmd_pipeline_opts[];
int cmd_pipeline(struct cli *cli, int argc, char **argv);
/* Mail merge (issue 14.4, cmd/merge.c): a noun with options. */
extern const struct cmd_opt cmd_merge_opts[];
int cmd_merge(struct cli *cli, int argc, char **argv);
int cmd_pipeline_terms(struct cli *cli, int argc, char **argv, int from, const char **terms, char **owned,
		       int *nterms);
/* list under a verb of the parent noun (project cost list [<project>]): the generic list of the
 * child kind, narrowed to one parent when the first word names one. */
int rec_sub_list(struct cli *cli, int argc, char **argv);
int cmd_history(struct cli *cli, int argc, char **argv);
int cmd_init(struct cli *cli, int argc, char **argv);
int cmd_help(struct cli *cli, int argc, char **argv);
int cmd_complete(struct cli *cli, int argc, char **argv);

/* Generic verbs over the noun's kind (cmd/records.c). */
int rec_add(struct cli *cli, int argc, char **argv);
/* add with assignments of its own after those of the command line (activity log). */
int rec_add_with(struct cli *cli, int argc, char **argv, const struct crm_assign *extra, int nextra);
/* The same without printing: the new record's number in *id; add (NULL: crm_record_add) is
 * called with ctx to write it, for a verb that writes more in the same transaction. */
typedef int (*rec_add_fn)(struct crm *crm, const struct crm_kind *k, const struct crm_assign *set, int nset,
			  void *ctx, long long *id, struct crm_err *err);
int rec_add_id(struct cli *cli, int argc, char **argv, const struct crm_assign *extra, int nextra, rec_add_fn add,
	       void *ctx, long long *id);
/* argv[1] as a record of the noun's kind: an option there is a usage error, a name that does
 * not resolve is reported; returns an exit code (0 with *id set). */
int rec_need_ref(struct cli *cli, int argc, char **argv, long long *id);
/* duplicates and merge for the kinds that have them (contact, account): crm/dedupe.h */
int rec_duplicates(struct cli *cli, int argc, char **argv);
int rec_merge(struct cli *cli, int argc, char **argv);
extern const struct cmd_opt rec_duplicates_opts[];
/* Add a record from assignments and print its number alone; returns an exit code. */
struct crm_assign;
int rec_add_print(struct cli *cli, const struct crm_kind *k, const struct crm_assign *set, int nset);
int rec_list(struct cli *cli, int argc, char **argv);
/* The --fields option of list and export, split at commas into fields (pointing into *copy,
 * which the caller frees); 0 when not given; -1 after printing the fields for "--fields help"
 * (name, type, help: the same for list and export). */
int rec_fields_option(const struct cli *cli, const struct crm_kind *k, const char **fields, int max, char **copy);
/* show: the record and its related sections (crm/show.h) in any format. */
int rec_show(struct cli *cli, int argc, char **argv);
int rec_edit(struct cli *cli, int argc, char **argv);
/* The numbers of the records of kind k that filter terms select (caller frees *ids). */
int rec_select_ids(struct cli *cli, const struct crm_kind *k, char **terms, int nterms, long long **ids, int *nids);
/* Write text to the file -o names (safely, as every -o), or to standard output. */
int rec_write_text(struct cli *cli, const char *text);
/* The workflow's transition called name, on the one record argv[1] (task done, cancel). */
int rec_take(struct cli *cli, int argc, char **argv, const char *name);
int rec_rm(struct cli *cli, int argc, char **argv);
int rec_history(struct cli *cli, int argc, char **argv);
/* Bulk import and export of any kind (cmd/transfer.c) and the import batches (cmd/import.c). */
int rec_import(struct cli *cli, int argc, char **argv);
/* crm event import, crm task import: FILE.ics through crm_ical_import, else rec_import (cmd/event.c). */
int cmd_ics_import(struct cli *cli, int argc, char **argv);
int rec_export(struct cli *cli, int argc, char **argv);
extern const struct cmd_verb cmd_import_verbs[];
/* The database as a whole (cmd/db.c): copy. */
extern const struct cmd_verb cmd_db_verbs[];
/* Does show print the record as one table row (csv, tsv, xlsx, or a table into -o FILE)? */
int rec_show_as_row(const struct cli *cli);
/* Print one record's fields as a header and one row, to stdout or -o. */
int rec_print_row(struct cli *cli, const struct crm_kind *k, long long id);

/* Helpers (cmd/common.c). */
/* The kind the verb serves (the noun's, or a sub-verb's), or NULL. */
const struct crm_kind *cli_kind(const struct cli *cli);
/* Report err on stderr as "crm: message" and return its code. */
int cli_fail(const struct crm_err *err);
/* --now <date or time>, when given: the command runs as if at that moment (tests, backfilling a
 * missed run). 0, or the usage error already said. */
int cli_now(struct cli *cli);
/* Opens path, a file to attach, for reading into *fd: only a regular file (a device or FIFO
 * would feed the database forever), CRM_EUSAGE "'<path>' is not a regular file<hint>" else. */
/* All of standard input as text (a body typed or piped in), without trailing newlines; NULL
 * when memory runs out. free() it. */
char *cli_read_stdin(void);
int cli_open_attachment(const char *path, const char *hint, int *fd, struct crm_err *err);
/* The database file just opened: cli_out_open refuses to replace it (same device and inode). */
void cli_out_protect(const char *path);
/* While a writing command may still be run again (cmd/main.c): the connection whose pending
 * retry keeps cli_fail quiet. */
extern struct crm *cli_retrying;
/* Standard input, made readable again from its start: a writing command that is run again
 * (cmd/main.c), or a transaction retried inside one, must see the same input, not what is left
 * of it. cli_stdin_spool: a pipe is copied once to an unlinked temporary file put on descriptor
 * 0 (a regular file keeps its place); a terminal is left alone. Idempotent; 0, or an exit code
 * with the error printed. cli_stdin_rewind: back to where the input started (descriptor and
 * the stdio stream both), when it was spooled. */
int cli_stdin_spool(const struct cli *cli);
void cli_stdin_rewind(void);
/* Print "crm: ..." on stderr and return code. */
int cli_error(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cli_info(const struct cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "crm: " and the message on standard error, as cli_error, for a warning that is no exit. */
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* s on standard error with its control characters shown as \xHH (cli_fail, cli_error,
 * cli_warn and cli_info write through it). */
void cli_put_clean(const char *s);
/* The format for data output: -F, else -o's extension, else table on a terminal, tsv elsewhere. */
enum crm_format cli_format(const struct cli *cli);
/* The extension of -o's file (".pdf") when no format has it and -F did not choose one, else
 * NULL (no -o, a known extension, none at all, or a dot file such as ".notes"). */
const char *cli_unknown_extension(const struct cli *cli);
/* A printer for stdout or -o; NULL (error printed, *rc set) on failure. */
struct crm_printer *cli_printer(struct cli *cli, const char *filter_text, int *rc);
int cli_printer_finish(struct cli *cli, struct crm_printer *p);
/* Is the format a structured one (json, ndjson, yaml)? */
int cli_structured(const struct cli *cli);
/* Usage of the current verb to stderr; returns 2. */
int cli_usage(const struct cli *cli);
int cli_confirm(const struct cli *cli, const char *question);
/* Send stdout through the pager (cmd/pager.c) when it is a terminal and the command, by its
 * flags, only reads and prints; waited for at exit. */
void cli_pager_start(struct cli *cli, unsigned flags);

/* Suggest the closest names: "did you mean 'x'?" (empty string if none close). */
void cli_suggest(const char *word, const char *const *names, int n, char *out, size_t outsz);
/* A kind of record by its noun (doc, event) or its name or plural; NULL for what crm keeps of
 * its own work (alerts, notifications). *noun (if asked for): the noun that names it. */
const struct crm_kind *cli_record_kind(const char *name, const char **noun);
/* "<what> 'acount'; did you mean 'account'?", or "(<examples>)" with no near kind: exit 2. */
int cli_unknown_kind(const char *what, const char *word, const char *examples);
/* A template file's text (merge, contact email --template), at most 1 MiB of text; NULL (error
 * printed, *rc set) when it cannot be read. */
char *cli_read_template(const char *path, int *rc);

/* Members of a list or a campaign (cmd/list.c): the contacts (or accounts) argv names, resolved
 * into *ids (the caller frees; an exit code when one names nothing), and the --where options'
 * filters as terms (*terms and each of *stores the caller frees); returns how many terms. */
int cmd_member_ids(struct cli *cli, int accounts, int argc, char **argv, long long **ids);
int cmd_where_terms(struct cli *cli, const char ***terms, char ***stores, int *nstores);

#endif
