/* crm offer (issue 12): offers are served by the generic verbs (add, list, show, edit, rm,
 * history, import, export, transition); here are what is special to them: add from a template,
 * the workflow's usual moves as verbs, revise, accept (into a contract), preview, and the
 * offer's lines and sections as sub-verbs over their own kinds (crm/offer.h). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <errno.h>
#include <unistd.h>
#include "cmd.h"
#include "crm/offer.h"

static int offer_add(struct cli *cli, int argc, char **argv)
{
	long long id;
	int rc = rec_add_id(cli, argc, argv, NULL, 0, crm_offer_add, (void *)cli_get(cli, "template"), &id);
	if (!rc)
		printf("%lld\n", id); /* the number alone, so id=$(crm offer add …) works */
	return rc;
}

static int offer_submit(struct cli *cli, int argc, char **argv)
{
	return rec_take(cli, argc, argv, "submit");
}

static int offer_approve(struct cli *cli, int argc, char **argv)
{
	return rec_take(cli, argc, argv, "approve");
}

static int offer_send(struct cli *cli, int argc, char **argv)
{
	return rec_take(cli, argc, argv, "send");
}

static int offer_reject(struct cli *cli, int argc, char **argv)
{
	return rec_take(cli, argc, argv, "reject");
}

static int offer_rework(struct cli *cli, int argc, char **argv)
{
	return rec_take(cli, argc, argv, "rework");
}

/* revise <offer>: prints the new version's record number. */
static int offer_revise(struct cli *cli, int argc, char **argv)
{
	if (argc > 2)
		return cli_error(CRM_EUSAGE, "unexpected argument '%s'", argv[2]);
	long long id, new_id;
	int rc = rec_need_ref(cli, argc, argv, &id);
	if (rc)
		return rc;
	struct crm_err err = { 0 };
	if (crm_offer_revise(cli->crm, id, &new_id, &err))
		return cli_fail(&err);
	printf("%lld\n", new_id);
	return 0;
}

/* accept <offer> [--create-contract]: with it, prints the new contract's number. */
static int offer_accept(struct cli *cli, int argc, char **argv)
{
	if (argc > 2)
		return cli_error(CRM_EUSAGE, "unexpected argument '%s'", argv[2]);
	long long id, contract;
	int rc = rec_need_ref(cli, argc, argv, &id);
	if (rc)
		return rc;
	struct crm_err err = { 0 };
	if (crm_offer_accept(cli->crm, id, cli_has(cli, "create-contract"), &contract, &err))
		return cli_fail(&err);
	if (contract)
		printf("%lld\n", contract);
	return 0;
}

static int section_submit(struct cli *cli, int argc, char **argv)
{
	return rec_take(cli, argc, argv, "submit");
}

static int section_approve(struct cli *cli, int argc, char **argv)
{
	return rec_take(cli, argc, argv, "approve");
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = s ? strlen(s) : 0, m = strlen(suffix);
	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/* preview <offer>: the document for the client, as Markdown on the terminal or in -o x.md; a PDF
 * (Pango and Cairo) in -o x.pdf; the lines and totals through the printer for -o x.xlsx and
 * any --format. */
static int offer_preview(struct cli *cli, int argc, char **argv)
{
	if (argc > 2)
		return cli_error(CRM_EUSAGE, "unexpected argument '%s'", argv[2]);
	long long id;
	int rc = rec_need_ref(cli, argc, argv, &id);
	if (rc)
		return rc;
	struct crm_err err = { 0 };
	const char *out = cli->output;
	/* -o names one of the preview's own formats; the printer's list (csv, ...) is not its */
	const char *dot = cli_unknown_extension(cli);
	if (dot && !ends_with(out, ".pdf") && !ends_with(out, ".md"))
		return cli_error(CRM_EUSAGE, "offer preview cannot write a '%s' file: name a .pdf, .xlsx or .md "
				 "file (or the lines as .csv, .tsv, .json, .ndjson, .yaml or .txt)", dot);
	if (ends_with(out, ".pdf")) {
		struct cli_out o;
		if (cli_out_open(&o, out, &err))
			return cli_fail(&err);
		int fd = dup(o.fd), pages = 0;
		FILE *f = fd < 0 ? NULL : fdopen(fd, "wb");
		int ok = f && !crm_offer_pdf(cli->crm, id, f, &pages, &err);
		if (f && fclose(f) && ok) {
			ok = 0;
			crm_error(&err, CRM_EFAIL, "cannot write '%s': %s", out, strerror(errno));
		} else if (!f && fd >= 0) {
			close(fd);
		}
		if (!f && !err.code)
			crm_error(&err, CRM_EFAIL, "cannot write '%s': %s", out, strerror(errno));
		struct crm_err ignored = { 0 };
		if (cli_out_close(&o, ok, ok ? &err : &ignored) || !ok)
			return cli_fail(&err);
		cli_info(cli, "%d page%s written to %s", pages, pages == 1 ? "" : "s", out);
		return 0;
	}
	if (cli->format < 0 && (!out || ends_with(out, ".md") || ends_with(out, ".txt"))) {
		char *text;
		if (crm_offer_markdown(cli->crm, id, &text, &err))
			return cli_fail(&err);
		rc = rec_write_text(cli, text);
		free(text);
		return rc;
	}
	struct crm_printer *p = cli_printer(cli, NULL, &rc);
	if (!p)
		return rc;
	rc = crm_offer_lines_print(cli->crm, id, p, &err);
	int frc = cli_printer_finish(cli, p);
	return rc ? cli_fail(&err) : frc;
}

static const struct cmd_opt add_opts[] = {
	{ "template", 0, OPT_VALUE, "name", "start from offers.templates.<name>, or from an offer marked template" },
	{ NULL, 0, 0, NULL, NULL },
};

static const struct cmd_opt accept_opts[] = {
	{ "create-contract", 0, 0, NULL, "also make a contract with the offer's lines, linked to it" },
	{ NULL, 0, 0, NULL, NULL },
};

/* line add <offer> <words>: the words name a product (its code), or are the text of a
 * free-text line when no product has them (crm_offer_line_words). With --product or
 * --description given, the words are the product, as the generic add takes them. */
static int line_add(struct cli *cli, int argc, char **argv)
{
	const struct crm_kind *k = cli_kind(cli);
	const struct crm_field *pf = crm_kind_field(k, "product", NULL), *df = crm_kind_field(k, "description", NULL);
	int named = 0;
	for (int i = 0; i < cli->args.nset; i++) {
		const struct crm_field *f = crm_kind_field(k, cli->args.set[i].field, NULL);
		named |= f == pf || f == df;
	}
	if (argc < 3 || named)
		return rec_add(cli, argc, argv);
	size_t len = 0;
	for (int i = 2; i < argc; i++)
		len += strlen(argv[i]) + 1;
	char *words = calloc(1, len + 1);
	for (int i = 2; i < argc; i++) {
		if (i > 2)
			strcat(words, " ");
		strcat(words, argv[i]);
	}
	struct crm_err err = { 0 };
	int product = 0, rc = crm_offer_line_words(cli->crm, words, &product, &err);
	if (rc) {
		free(words);
		return cli_fail(&err);
	}
	struct crm_assign extra = { product ? "product" : "description", words };
	rc = rec_add_with(cli, 2, argv, &extra, 1);
	free(words);
	return rc;
}

/* line list [<offer>], section list [<offer>]: the generic list, of one offer's. */
static const struct cmd_verb line_verbs[] = {
	{ "add", NULL, line_add, CMD_WRITE | CMD_FIELDS, "<offer> <product>|<text>...", "add an offer line: a "
	  "product by its code, or free text (give its --price); prints its number", { cmd_set_opts }, NULL, NULL },
	{ "list", "ls", rec_sub_list, CMD_READ, "[<offer>] [<filter>...]", "list offer lines, all or an offer's",
	  { cmd_list_opts }, NULL, NULL },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};

static const struct cmd_verb section_verbs[] = {
	{ "list", "ls", rec_sub_list, CMD_READ, "[<offer>] [<filter>...]", "list offer sections, all or an offer's",
	  { cmd_list_opts }, NULL, NULL },
	{ "submit", NULL, section_submit, CMD_WRITE, "%r", "take the transition named submit (the section's owner, "
	  "or a manager)", { cmd_move_opts }, NULL, NULL },
	{ "approve", NULL, section_approve, CMD_WRITE, "%r", "take the transition named approve (the section's owner, "
	  "or a manager)", { cmd_move_opts }, NULL, NULL },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};

const struct cmd_verb cmd_offer_verbs[] = {
	{ "add", NULL, offer_add, CMD_WRITE | CMD_FIELDS, "%P", "add an offer, numbered from offers.number_format; "
	  "prints its record number", { add_opts, cmd_set_opts }, NULL, NULL },
	{ "show", NULL, rec_show, CMD_READ, "%r", "show an offer with its totals, sections, lines and history",
	  { NULL }, NULL, NULL },
	{ "submit", NULL, offer_submit, CMD_WRITE | CMD_FIELDS, "%r", "take the transition named submit",
	  { cmd_move_opts, cmd_set_opts }, NULL, NULL },
	{ "approve", NULL, offer_approve, CMD_WRITE | CMD_FIELDS, "%r", "take the transition named approve (every "
	  "section approved first)", { cmd_move_opts, cmd_set_opts }, NULL, NULL },
	{ "send", NULL, offer_send, CMD_WRITE | CMD_FIELDS, "%r", "take the transition named send",
	  { cmd_move_opts, cmd_set_opts }, NULL, NULL },
	{ "reject", NULL, offer_reject, CMD_WRITE | CMD_FIELDS, "%r", "take the transition named reject (it needs "
	  "--reject-reason)", { cmd_move_opts, cmd_set_opts }, NULL, NULL },
	{ "rework", NULL, offer_rework, CMD_WRITE | CMD_FIELDS, "%r", "take the transition named rework: back to draft",
	  { cmd_move_opts, cmd_set_opts }, NULL, NULL },
	{ "accept", NULL, offer_accept, CMD_WRITE, "%r", "take the transition named accept; --create-contract also "
	  "makes the contract (prints its number)", { accept_opts }, NULL, NULL },
	{ "revise", NULL, offer_revise, CMD_WRITE, "%r", "make a new version with its lines and sections, the old one "
	  "superseded; prints the new record number", { NULL }, NULL, NULL },
	{ "preview", NULL, offer_preview, CMD_READ, "%r", "the document for the client: Markdown, or -o offer.md, "
	  "offer.pdf, offer.xlsx", { NULL }, NULL, NULL },
	{ "line", NULL, NULL, CMD_READ, "<verb>", "add, list, edit or remove the offer's lines (needs offer.line to "
	  "change them)", { NULL }, line_verbs, "offer_line" },
	{ "section", NULL, NULL, CMD_READ, "<verb>", "add, list, edit, submit or approve the offer's sections (needs "
	  "offer.section to change them)", { NULL }, section_verbs, "offer_section" },
	{ NULL, NULL, NULL, 0, NULL, NULL, { NULL }, NULL, NULL },
};
