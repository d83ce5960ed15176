/* Unit tests for core/printer.c: exact bytes for the text formats; yaml and xlsx are read back
 * with /usr/bin/python3 (yaml, openpyxl) when those modules are there. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "crm/printer.h"
#include "unit.h"

#define T(s) {CRM_V_TEXT, (s)}
#define I(s) {CRM_V_INT, (s)}
#define R(s) {CRM_V_REAL, (s)}
#define B(s) {CRM_V_BOOL, (s)}
#define D(s) {CRM_V_DATE, (s)}
#define TM(s) {CRM_V_TIME, (s)}
#define N {CRM_V_NULL, NULL}
#define L(s) {CRM_V_LIST, (s)}

static char tmpdir[] = "/tmp/test_printer.XXXXXX";

static char *slurp(FILE *f)
{
	fflush(f);
	long n = ftell(f);
	char *s = malloc((size_t)n + 1);
	rewind(f);
	size_t got = fread(s, 1, (size_t)n, f);
	s[got] = '\0';
	fclose(f);
	return s;
}

static struct crm_printer_opts opts(enum crm_format f, FILE *out)
{
	struct crm_printer_opts o;
	memset(&o, 0, sizeof o);
	o.format = f;
	o.out = out;
	o.headers = 1;
	return o;
}

/* Print rows (ncols cells each) with o and return what came out; o.out is replaced. */
static char *tabular(struct crm_printer_opts o, const char *const *cols, int ncols,
		     const struct crm_value *cells, int nrows)
{
	struct crm_err err;
	o.out = tmpfile();
	struct crm_printer *p = crm_printer_new(&o, &err);
	CHECK(p != NULL);
	crm_printer_columns(p, cols, ncols);
	for (int r = 0; r < nrows; r++)
		crm_printer_row(p, cells + r * ncols);
	CHECK_INT(crm_printer_finish(p, &err), CRM_OK);
	return slurp(o.out);
}

static void expect(char *got, const char *want)
{
	CHECK_STR(got, want);
	free(got);
}

static void test_formats(void)
{
	CHECK_INT(crm_format_parse("table"), CRM_FMT_TABLE);
	CHECK_INT(crm_format_parse("tsv"), CRM_FMT_TSV);
	CHECK_INT(crm_format_parse("csv"), CRM_FMT_CSV);
	CHECK_INT(crm_format_parse("json"), CRM_FMT_JSON);
	CHECK_INT(crm_format_parse("ndjson"), CRM_FMT_NDJSON);
	CHECK_INT(crm_format_parse("yaml"), CRM_FMT_YAML);
	CHECK_INT(crm_format_parse("xlsx"), CRM_FMT_XLSX);
	CHECK_INT(crm_format_parse("CSV"), CRM_FMT_CSV);
	CHECK_INT(crm_format_parse("xml"), -1);
	CHECK_INT(crm_format_parse(""), -1);
	CHECK_INT(crm_format_parse(NULL), -1);
	for (int f = CRM_FMT_TABLE; f <= CRM_FMT_XLSX; f++)
		CHECK_INT(crm_format_parse(crm_format_name((enum crm_format)f)), f);
	CHECK_STR(crm_format_name(CRM_FMT_NDJSON), "ndjson");
	CHECK_INT(crm_format_from_path("out.csv"), CRM_FMT_CSV);
	CHECK_INT(crm_format_from_path("/a.b/out.TSV"), CRM_FMT_TSV);
	CHECK_INT(crm_format_from_path("x.json"), CRM_FMT_JSON);
	CHECK_INT(crm_format_from_path("x.ndjson"), CRM_FMT_NDJSON);
	CHECK_INT(crm_format_from_path("x.jsonl"), CRM_FMT_NDJSON);
	CHECK_INT(crm_format_from_path("x.yaml"), CRM_FMT_YAML);
	CHECK_INT(crm_format_from_path("x.yml"), CRM_FMT_YAML);
	CHECK_INT(crm_format_from_path("report.xlsx"), CRM_FMT_XLSX);
	CHECK_INT(crm_format_from_path("list.txt"), CRM_FMT_TABLE);
	CHECK_INT(crm_format_from_path("/a.csv/noext"), -1);
	CHECK_INT(crm_format_from_path("x.pdf"), -1);
	CHECK_INT(crm_format_from_path(NULL), -1);
}

static const char *const cols3[] = {"id", "name", "note"};

static void test_tsv(void)
{
	struct crm_value rows[] = {
		I("1"), T("Ann"), T("a\tb\\c\nd\re"),
		I("2"), N, T(""),
	};
	struct crm_printer_opts o = opts(CRM_FMT_TSV, NULL);
	expect(tabular(o, cols3, 3, rows, 2), "id\tname\tnote\n1\tAnn\ta\\tb\\\\c\\nd\\re\n2\t\t\n");
	o.headers = 0;
	expect(tabular(o, cols3, 3, rows, 1), "1\tAnn\ta\\tb\\\\c\\nd\\re\n");
	expect(tabular(o, cols3, 3, rows, 0), "");

	struct crm_value risky[] = {T("=1+2"), I("-3"), T("\tx")};
	o.neutralise = 1;
	expect(tabular(o, cols3, 3, risky, 1), "'=1+2\t-3\t'\\tx\n");
}

static void test_csv(void)
{
	struct crm_value rows[] = {
		I("1"), T("Smith, Ann"), T("say \"hi\""),
		R("2.5"), T("two\nlines"), N,
		I("3"), T(" padded"), T("plain"),
		I("4"), T("cr\rhere"), T("Jos\xc3\xa9"),
	};
	struct crm_printer_opts o = opts(CRM_FMT_CSV, NULL);
	expect(tabular(o, cols3, 3, rows, 4),
	       "id,name,note\n"
	       "1,\"Smith, Ann\",\"say \"\"hi\"\"\"\n"
	       "2.5,\"two\nlines\",\n"
	       "3,\" padded\",plain\n"
	       "4,\"cr\rhere\",Jos\xc3\xa9\n");

	o.excel_bom = 1;
	o.headers = 0;
	expect(tabular(o, cols3, 3, rows + 6, 1), "\xef\xbb\xbf" "3,\" padded\",plain\n");
	expect(tabular(o, cols3, 3, rows, 0), "\xef\xbb\xbf");

	/* Formula injection: text is defused, numbers are not; the header is never touched. */
	static const char *const rcols[] = {"=a", "b", "c", "d", "e", "f", "g"};
	struct crm_value risky[] = {T("=SUM(A1:A9)"), T("+1"), T("-1"), T("@cmd"), I("-1"),
				    R("-2.5"), T("a=b")};
	o.excel_bom = 0;
	o.headers = 1;
	o.neutralise = 1;
	expect(tabular(o, rcols, 7, risky, 1), "=a,b,c,d,e,f,g\n'=SUM(A1:A9),'+1,'-1,'@cmd,-1,-2.5,a=b\n");
	struct crm_value risky2[] = {T("\tx"), T("\ry"), T("=\"x\",1")};
	expect(tabular(o, rcols, 3, risky2, 1), "=a,b,c\n'\tx,\"'\ry\",\"'=\"\"x\"\",1\"\n");
	o.neutralise = 0;
	expect(tabular(o, rcols, 7, risky, 1), "=a,b,c,d,e,f,g\n=SUM(A1:A9),+1,-1,@cmd,-1,-2.5,a=b\n");
}

static void test_json(void)
{
	static const char *const cols[] = {"i", "r", "b", "n", "s", "d", "t"};
	struct crm_value rows[] = {
		I("42"), R("-1.5e3"), B("1"), N, T("q\"b\\s/\n\r\t\b\f\x01\x1f"), D("2026-01-31"),
		TM("2026-01-31T10:00:00Z"),
		I("007"), R("1."), B("0"), T(NULL), T("Jos\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), N, N,
		I("NaN"), R("inf"), B("maybe"), T("bad\xff\xc3"), T(""), N, N,
	};
	struct crm_printer_opts o = opts(CRM_FMT_JSON, NULL);
	expect(tabular(o, cols, 7, rows, 3),
	       "[\n"
	       "{\"i\":42,\"r\":-1.5e3,\"b\":true,\"n\":null,\"s\":\"q\\\"b\\\\s/\\n\\r\\t\\b\\f\\u0001\\u001f\","
	       "\"d\":\"2026-01-31\",\"t\":\"2026-01-31T10:00:00Z\"},\n"
	       "{\"i\":\"007\",\"r\":\"1.\",\"b\":false,\"n\":null,\"s\":\"Jos\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\","
	       "\"d\":null,\"t\":null},\n"
	       "{\"i\":\"NaN\",\"r\":\"inf\",\"b\":\"maybe\",\"n\":\"bad\\ufffd\\ufffd\",\"s\":\"\",\"d\":null,"
	       "\"t\":null}\n"
	       "]\n");
	expect(tabular(o, cols, 7, rows, 0), "[]\n");
	o.headers = 0; /* no effect on json */
	static const char *const one[] = {"a\"k"};
	struct crm_value v[] = {I("0"), R("0.25")};
	expect(tabular(o, one, 1, v, 2), "[\n{\"a\\\"k\":0},\n{\"a\\\"k\":0.25}\n]\n");

	o.format = CRM_FMT_NDJSON;
	expect(tabular(o, one, 1, v, 2), "{\"a\\\"k\":0}\n{\"a\\\"k\":0.25}\n");
	expect(tabular(o, one, 1, v, 0), "");
}

/* A contact as `show` prints it: a map holding scalars, a list of maps and an empty list. */
static void show_contact(struct crm_printer *p)
{
	struct crm_value id = I("7"), amount = R("12.5"), vip = B("true"), nul = N, due = D("2026-02-01");
	crm_printer_begin_map(p);
	crm_printer_key(p, "id");
	crm_printer_value(p, &id);
	crm_printer_key(p, "name");
	crm_printer_text(p, "Jos\xc3\xa9 \"JJ\"");
	crm_printer_key(p, "email");
	crm_printer_text(p, NULL);
	crm_printer_key(p, "vip");
	crm_printer_value(p, &vip);
	crm_printer_key(p, "tags");
	crm_printer_begin_list(p);
	crm_printer_text(p, "a");
	crm_printer_text(p, "yes");
	crm_printer_value(p, &amount);
	crm_printer_end(p);
	crm_printer_key(p, "deals");
	crm_printer_begin_list(p);
	crm_printer_begin_map(p);
	crm_printer_key(p, "due");
	crm_printer_value(p, &due);
	crm_printer_key(p, "x");
	crm_printer_value(p, &nul);
	crm_printer_end(p);
	crm_printer_end(p);
	crm_printer_key(p, "none");
	crm_printer_begin_list(p);
	crm_printer_end(p);
	crm_printer_key(p, "empty");
	crm_printer_begin_map(p);
	crm_printer_end(p);
	crm_printer_end(p);
}

static char *structural(enum crm_format f, void (*fn)(struct crm_printer *))
{
	struct crm_err err;
	struct crm_printer_opts o = opts(f, tmpfile());
	struct crm_printer *p = crm_printer_new(&o, &err);
	CHECK(p != NULL);
	fn(p);
	CHECK_INT(crm_printer_finish(p, &err), CRM_OK);
	return slurp(o.out);
}

static void two_values(struct crm_printer *p)
{
	show_contact(p);
	crm_printer_text(p, "second");
	crm_printer_begin_list(p);
	crm_printer_end(p);
}

/* Misuse is ignored and what was left open is closed, so the output stays well-formed. */
static void misuse(struct crm_printer *p)
{
	static const char *const c[] = {"a"};
	crm_printer_end(p);                 /* nothing open */
	crm_printer_begin_map(p);
	crm_printer_text(p, "no key");      /* a value where a key is due */
	crm_printer_key(p, "k");
	crm_printer_key(p, "k2");           /* a key where a value is due */
	crm_printer_begin_list(p);
	crm_printer_key(p, "in list");      /* keys belong to maps */
	crm_printer_text(p, "v");
	crm_printer_columns(p, c, 1);       /* tabular after structural */
	crm_printer_row(p, NULL);
	crm_printer_end(p);
	crm_printer_key(p, "dangling");     /* closed with null at finish */
}

static void test_structural(void)
{
	expect(structural(CRM_FMT_JSON, show_contact),
	       "{\n"
	       "  \"id\": 7,\n"
	       "  \"name\": \"Jos\xc3\xa9 \\\"JJ\\\"\",\n"
	       "  \"email\": null,\n"
	       "  \"vip\": true,\n"
	       "  \"tags\": [\n"
	       "    \"a\",\n"
	       "    \"yes\",\n"
	       "    12.5\n"
	       "  ],\n"
	       "  \"deals\": [\n"
	       "    {\n"
	       "      \"due\": \"2026-02-01\",\n"
	       "      \"x\": null\n"
	       "    }\n"
	       "  ],\n"
	       "  \"none\": [],\n"
	       "  \"empty\": {}\n"
	       "}\n");
	expect(structural(CRM_FMT_NDJSON, two_values),
	       "{\"id\":7,\"name\":\"Jos\xc3\xa9 \\\"JJ\\\"\",\"email\":null,\"vip\":true,"
	       "\"tags\":[\"a\",\"yes\",12.5],\"deals\":[{\"due\":\"2026-02-01\",\"x\":null}],"
	       "\"none\":[],\"empty\":{}}\n"
	       "\"second\"\n"
	       "[]\n");
	expect(structural(CRM_FMT_NDJSON, misuse), "{\"k\":[\"v\"],\"dangling\":null}\n");
	expect(structural(CRM_FMT_JSON, misuse), "{\n  \"k\": [\n    \"v\"\n  ],\n  \"dangling\": null\n}\n");
	/* Structural calls on the tabular-only formats print nothing and do not crash. */
	expect(structural(CRM_FMT_CSV, show_contact), "");
	expect(structural(CRM_FMT_TSV, show_contact), "");
	/* The table backend renders a structure as the text view: fields, then list items. */
	expect(structural(CRM_FMT_TABLE, show_contact),
	       "id                  7\n"
	       "name                Jos\xc3\xa9 \"JJ\"\n"
	       "vip                 yes\n"
	       "  a\n"
	       "  yes\n"
	       "  12.5\n"
	       "  2026-02-01\n");

	/* Nothing printed at all: no output either. */
	struct crm_err err;
	struct crm_printer_opts o = opts(CRM_FMT_JSON, tmpfile());
	CHECK_INT(crm_printer_finish(crm_printer_new(&o, &err), &err), CRM_OK);
	expect(slurp(o.out), "");
}

/* A record view: a link field, a section of records (one with a nested list), an empty
 * section, a table nested in the structure, a note. */
static void show_account(struct crm_printer *p)
{
	static const char *const cols[] = {"at", "user", "field"};
	struct crm_value id = I("1"), two = I("2"), links = L("Ann Smith\x1f" "Bob, Jr."), none = L("");
	struct crm_value row1[] = {TM("2026-01-02T03:04:05Z"), T("ann"), T("name")};
	struct crm_value row2[] = {TM("2026-01-03T00:00:00Z"), T("bobby"), N};
	crm_printer_begin_map(p);
	crm_printer_key(p, "id");
	crm_printer_value(p, &id);
	crm_printer_key(p, "contacts");
	crm_printer_value(p, &links);
	crm_printer_key(p, "team");
	crm_printer_value(p, &none);
	crm_printer_section(p, "locations", "Locations");
	crm_printer_begin_list(p);
	crm_printer_begin_map(p);
	crm_printer_key(p, "id");
	crm_printer_value(p, &two);
	crm_printer_key(p, "name");
	crm_printer_text(p, "HQ\tBerlin");
	crm_printer_key(p, "people");
	crm_printer_begin_list(p);
	crm_printer_begin_map(p);
	crm_printer_key(p, "name");
	crm_printer_text(p, "Ann");
	crm_printer_key(p, "phone");
	crm_printer_text(p, "");
	crm_printer_end(p);
	crm_printer_end(p);
	crm_printer_end(p);
	crm_printer_note(p, "(more)");
	crm_printer_end(p);
	crm_printer_section(p, "projects", "Projects");
	crm_printer_begin_list(p);
	crm_printer_end(p);
	crm_printer_section(p, "history", "History");
	crm_printer_begin_list(p);
	crm_printer_columns(p, cols, 3);
	crm_printer_row(p, row1);
	crm_printer_row(p, row2);
	crm_printer_end(p);
	crm_printer_end(p);
}

static void test_sections(void)
{
	struct crm_err err;
	expect(structural(CRM_FMT_TABLE, show_account),
	       "id                  1\n"
	       "contacts            Ann Smith, Bob, Jr.\n"
	       "\n"
	       "Locations\n"
	       "  2  HQ Berlin\n"
	       "      Ann\n"
	       "  (more)\n"
	       "\n"
	       "History\n"
	       "at                user   field\n"
	       "2026-01-02 03:04  ann    name\n"
	       "2026-01-03 00:00  bobby\n");
	/* Timestamps as stored when asked (show off a terminal). */
	struct crm_printer_opts o = opts(CRM_FMT_TABLE, tmpfile());
	o.iso_times = 1;
	struct crm_printer *p = crm_printer_new(&o, &err);
	show_account(p);
	CHECK_INT(crm_printer_finish(p, &err), CRM_OK);
	char *got = slurp(o.out);
	CHECK(strstr(got, "2026-01-02T03:04:05Z  ann    name\n") != NULL);
	free(got);
	expect(structural(CRM_FMT_NDJSON, show_account),
	       "{\"id\":1,\"contacts\":[\"Ann Smith\",\"Bob, Jr.\"],\"team\":[],"
	       "\"locations\":[{\"id\":2,\"name\":\"HQ\\tBerlin\",\"people\":[{\"name\":\"Ann\",\"phone\":\"\"}]}],"
	       "\"projects\":[],"
	       "\"history\":[{\"at\":\"2026-01-02T03:04:05Z\",\"user\":\"ann\",\"field\":\"name\"},"
	       "{\"at\":\"2026-01-03T00:00:00Z\",\"user\":\"bobby\",\"field\":null}]}\n");
	/* Flat formats join a list's items; an empty list is no value. */
	static const char *const cols[] = {"id", "contacts", "team"};
	struct crm_value cells[] = {I("1"), L("Ann\x1f" "Bob"), L("")};
	o = opts(CRM_FMT_CSV, NULL);
	expect(tabular(o, cols, 3, cells, 1), "id,contacts,team\n1,\"Ann, Bob\",\n");
	o = opts(CRM_FMT_JSON, NULL);
	expect(tabular(o, cols, 3, cells, 1), "[\n{\"id\":1,\"contacts\":[\"Ann\",\"Bob\"],\"team\":[]}\n]\n");
}

static void test_table(void)
{
	static const char *const cols[] = {"name", "city", "n"};
	struct crm_value rows[] = {
		T("Jos\xc3\xa9"), T("M\xc3\xa1laga"), I("1"),
		T("Zo\xc3\xab Ann-Marie"), N, I("22"),
		T("tab\there"), T("two\nlines"), N,
	};
	struct crm_printer_opts o = opts(CRM_FMT_TABLE, NULL);
	expect(tabular(o, cols, 3, rows, 3),
	       "name           city       n\n"
	       "Jos\xc3\xa9           M\xc3\xa1laga     1\n"
	       "Zo\xc3\xab Ann-Marie             22\n"
	       "tab here       two lines\n");
	o.color = 1;
	expect(tabular(o, cols, 3, rows, 1), "\033[1mname  city    n\033[0m\nJos\xc3\xa9  M\xc3\xa1laga  1\n");
	o.color = 0;
	o.headers = 0;
	expect(tabular(o, cols, 3, rows, 1), "Jos\xc3\xa9  M\xc3\xa1laga  1\n");
	o.headers = 1;
	expect(tabular(o, cols, 3, rows, 0), "");

	/* 61 characters are cut to 59 and an ellipsis; 60 fit. An escape sequence cannot reach the
	 * terminal. */
	char longs[200], fits[200];
	memset(longs, 'x', 61);
	longs[61] = '\0';
	memset(fits, 'y', 60);
	fits[60] = '\0';
	struct crm_value lrows[] = {T(longs), T("\033[31mred"), T(fits), T("\xc2\x9b" "c1")};
	static const char *const lcols[] = {"a", "b"};
	char want[400];
	snprintf(want, sizeof want, "%.59s\xe2\x80\xa6   [31mred\n%s   c1\n", longs, fits);
	o.headers = 0;
	expect(tabular(o, lcols, 2, lrows, 2), want);
}

static int have_python(const char *module)
{
	char cmd[200];
	snprintf(cmd, sizeof cmd, "/usr/bin/python3 -c 'import %s' >/dev/null 2>&1", module);
	if (system(cmd) == 0)
		return 1;
	printf("note: /usr/bin/python3 lacks the %s module; skipping those checks\n", module);
	return 0;
}

/* Run a python script (its body in `script`, with the data file as sys.argv[1]); 0 if it passed. */
static int python(const char *script, const char *datafile)
{
	char spath[300], cmd[800];
	snprintf(spath, sizeof spath, "%s/check.py", tmpdir);
	FILE *f = fopen(spath, "w");
	if (!f)
		return -1;
	fputs(script, f);
	fclose(f);
	snprintf(cmd, sizeof cmd, "/usr/bin/python3 %s %s", spath, datafile);
	int rc = system(cmd);
	remove(spath);
	return rc;
}

static const char yaml_strings[][40] = {
	"yes", "no", "No", "true", "False", "on", "OFF", "y", "n", "null", "Null", "~", "",
	"123", "-1", "1.5", "1e5", "0x1F", "0o7", "1:20", ".inf", ".NaN", "2026-01-31",
	"2026-01-31T10:00:00Z", "<<", "=", "a: b", "- x", "-x", "#c", "a #c", "x#y", "[1]", "{a}",
	"&a", "*a", "!t", "%p", "@x", "`x", "'q'", "\"q\"", "?", ":", "|", ">", ",", " lead",
	"trail ", " ", "multi\nline", "ends\n", "ends2\n\n", "\n", "\nstarts", "  indented\nx",
	"x\n  indented", "tab\there", "cr\r\nlf", "cr\r", "nel\xc2\x85x", "ls\xe2\x80\xa8x",
	"ctl\x01x", "del\x7fx", "Jos\xc3\xa9", "emoji \xf0\x9f\x98\x80", "bom\xef\xbb\xbfx",
	"a'b", "a\"b", "a\\b", "trailing spaces  \nnext", "x\n\n\ny",
};

static void yaml_strings_fn(struct crm_printer *p)
{
	crm_printer_begin_list(p);
	for (size_t i = 0; i < sizeof yaml_strings / sizeof yaml_strings[0]; i++)
		crm_printer_text(p, yaml_strings[i]);
	crm_printer_end(p);
}

/* Python's repr of a byte string as a str literal (the strings are valid UTF-8). */
static void py_str(FILE *f, const char *s)
{
	fputs("b'", f);
	for (; *s; s++)
		fprintf(f, "\\x%02x", (unsigned char)*s);
	fputs("'.decode()", f);
}

static void test_yaml(void)
{
	if (!have_python("yaml"))
		return;
	char path[300];
	snprintf(path, sizeof path, "%s/out.yaml", tmpdir);
	struct crm_err err;

	/* Tabular: a sequence of mappings, typed scalars and strings that must stay strings. */
	static const char *const cols[] = {"id", "amount", "active", "name", "due", "at", "none",
					   "yes", "big"};
	struct crm_value rows[] = {
		I("1"), R("2.50"), B("1"), T("yes"), D("2026-01-31"), TM("2026-01-31T10:00:00Z"), N,
		T("123"), R("1e5"),
		I("007"), R("-.5"), B("false"), T("line1\nline2\n"), N, N, T(""), T("null"),
		R("1.0E-3"),
		I("x1"), R("inf"), B("maybe"), T("bad\xff"), N, N, N, T("~"), R("+3"),
	};
	struct crm_printer_opts o = opts(CRM_FMT_YAML, fopen(path, "w"));
	struct crm_printer *p = crm_printer_new(&o, &err);
	crm_printer_columns(p, cols, 9);
	for (int r = 0; r < 3; r++)
		crm_printer_row(p, rows + r * 9);
	CHECK_INT(crm_printer_finish(p, &err), CRM_OK);
	fclose(o.out);
	CHECK_INT(python("import yaml, sys\n"
			 "d = yaml.safe_load(open(sys.argv[1], encoding='utf-8'))\n"
			 "want = [\n"
			 " {'id': 1, 'amount': 2.5, 'active': True, 'name': 'yes', 'due': '2026-01-31',\n"
			 "  'at': '2026-01-31T10:00:00Z', 'none': None, 'yes': '123', 'big': 100000.0},\n"
			 " {'id': 7, 'amount': -0.5, 'active': False, 'name': 'line1\\nline2\\n',\n"
			 "  'due': None, 'at': None, 'none': '', 'yes': 'null', 'big': 0.001},\n"
			 " {'id': 'x1', 'amount': 'inf', 'active': 'maybe', 'name': 'bad\\ufffd',\n"
			 "  'due': None, 'at': None, 'none': None, 'yes': '~', 'big': 3}]\n"
			 "if d != want:\n"
			 "    print('yaml tabular mismatch:', d, open(sys.argv[1]).read(), sep='\\n')\n"
			 "    sys.exit(1)\n",
			 path),
		  0);

	/* Empty tabular output is an empty list. */
	o.out = fopen(path, "w");
	p = crm_printer_new(&o, &err);
	crm_printer_columns(p, cols, 9);
	CHECK_INT(crm_printer_finish(p, &err), CRM_OK);
	fclose(o.out);
	CHECK_INT(python("import yaml, sys\n"
			 "sys.exit(yaml.safe_load(open(sys.argv[1])) != [])\n", path), 0);

	/* Structural: the nested contact, and a battery of awkward strings round-tripping. */
	o.out = fopen(path, "w");
	p = crm_printer_new(&o, &err);
	show_contact(p);
	CHECK_INT(crm_printer_finish(p, &err), CRM_OK);
	fclose(o.out);
	CHECK_INT(python("import yaml, sys\n"
			 "d = yaml.safe_load(open(sys.argv[1], encoding='utf-8'))\n"
			 "want = {'id': 7, 'name': 'Jos\\u00e9 \"JJ\"', 'email': None, 'vip': True,\n"
			 "  'tags': ['a', 'yes', 12.5], 'deals': [{'due': '2026-02-01', 'x': None}],\n"
			 "  'none': [], 'empty': {}}\n"
			 "if d != want:\n"
			 "    print('yaml structural mismatch:', d, sep='\\n')\n"
			 "    sys.exit(1)\n",
			 path),
		  0);

	/* Sections, link fields and a nested table. */
	o.out = fopen(path, "w");
	p = crm_printer_new(&o, &err);
	show_account(p);
	CHECK_INT(crm_printer_finish(p, &err), CRM_OK);
	fclose(o.out);
	CHECK_INT(python("import yaml, sys\n"
			 "d = yaml.safe_load(open(sys.argv[1], encoding='utf-8'))\n"
			 "want = {'id': 1, 'contacts': ['Ann Smith', 'Bob, Jr.'], 'team': [],\n"
			 "  'locations': [{'id': 2, 'name': 'HQ\\tBerlin', 'people': [{'name': 'Ann', 'phone': ''}]}],\n"
			 "  'projects': [], 'history': [{'at': '2026-01-02T03:04:05Z', 'user': 'ann', 'field': 'name'},\n"
			 "  {'at': '2026-01-03T00:00:00Z', 'user': 'bobby', 'field': None}]}\n"
			 "if d != want:\n"
			 "    print('yaml sections mismatch:', d, sep='\\n')\n"
			 "    sys.exit(1)\n",
			 path),
		  0);

	o.out = fopen(path, "w");
	p = crm_printer_new(&o, &err);
	yaml_strings_fn(p);
	CHECK_INT(crm_printer_finish(p, &err), CRM_OK);
	fclose(o.out);
	char script[16000];
	FILE *sf = fmemopen(script, sizeof script, "w");
	fputs("import yaml, sys\n"
	      "d = yaml.safe_load(open(sys.argv[1], encoding='utf-8', newline=''))\n"
	      "want = [\n", sf);
	for (size_t i = 0; i < sizeof yaml_strings / sizeof yaml_strings[0]; i++) {
		py_str(sf, yaml_strings[i]);
		fputs(",\n", sf);
	}
	fputs("]\n"
	      "bad = [(w, g) for w, g in zip(want, d) if w != g]\n"
	      "if bad or len(d) != len(want):\n"
	      "    print('yaml strings differ:', bad, len(d), len(want))\n"
	      "    sys.exit(1)\n", sf);
	fputc('\0', sf);
	fclose(sf);
	CHECK_INT(python(script, path), 0);

	/* Several top-level values are several documents. */
	o.out = fopen(path, "w");
	p = crm_printer_new(&o, &err);
	two_values(p);
	CHECK_INT(crm_printer_finish(p, &err), CRM_OK);
	fclose(o.out);
	CHECK_INT(python("import yaml, sys\n"
			 "d = list(yaml.safe_load_all(open(sys.argv[1], encoding='utf-8')))\n"
			 "sys.exit(not (len(d) == 3 and d[0]['id'] == 7 and d[1] == 'second' and d[2] == []))\n",
			 path),
		  0);
	remove(path);
}

static void test_xlsx(void)
{
	char path[300], bad[300];
	struct crm_err err;
	snprintf(path, sizeof path, "%s/out.xlsx", tmpdir);
	snprintf(bad, sizeof bad, "%s/missing/out.xlsx", tmpdir);

	static const char *const cols[] = {"id", "name", "amount", "active", "due", "updated", "note"};
	struct crm_value rows[] = {
		I("1"), T("Jos\xc3\xa9"), R("12.5"), B("1"), D("2026-01-31"), TM("2026-01-31T10:30:00Z"),
		N,
		I("2"), T("=cmd|' /C calc'!A0"), R("-3"), B("0"), D("not a date"), TM("2026-02-30T00:00:00Z"),
		T("tab\tnew\nline\x01"),
	};
	struct crm_printer_opts o = opts(CRM_FMT_XLSX, NULL);
	o.path = path;
	o.neutralise = 1;
	o.meta_command = "crm contact list -o out.xlsx";
	o.meta_user = "ann";
	o.meta_time = "2026-01-31T10:30:00Z";
	struct crm_printer *p = crm_printer_new(&o, &err);
	CHECK(p != NULL);
	crm_printer_columns(p, cols, 7);
	/* amount is money in no named currency, as its field's type says (not its name) */
	static const char *const money[7] = { NULL, NULL, "", NULL, NULL, NULL, NULL };
	crm_printer_row_money(p, rows, money);
	crm_printer_row_money(p, rows + 7, money);
	show_contact(p); /* structural on xlsx: ignored */
	CHECK_INT(crm_printer_finish(p, &err), CRM_OK);
	CHECK(access(path, F_OK) == 0);

	if (have_python("openpyxl"))
		CHECK_INT(python("import openpyxl, sys, datetime\n"
				 "wb = openpyxl.load_workbook(sys.argv[1])\n"
				 "ws = wb['Data']\n"
				 "checks = [\n"
				 " wb.sheetnames == ['Data', 'About'],\n"
				 " [c.value for c in ws[1]] == ['id', 'name', 'amount', 'active', 'due', 'updated', 'note'],\n"
				 " ws['A1'].font.b,\n"
				 " ws['A2'].value == 1 and isinstance(ws['A2'].value, (int, float)),\n"
				 " ws['B2'].value == 'Jos\\u00e9',\n"
				 " ws['C2'].value == 12.5 and ws['C3'].value == -3,\n"
				 " ws['D2'].value is True and ws['D3'].value is False,\n"
				 " ws['E2'].value == datetime.datetime(2026, 1, 31),\n"
				 " ws['E2'].number_format == 'yyyy-mm-dd',\n"
				 " ws['F2'].value == datetime.datetime(2026, 1, 31, 10, 30),\n"
				 " ws['F2'].number_format == 'yyyy-mm-dd hh:mm \"UTC\"',\n"
				 " ws['C2'].number_format == '#,##0.00',  # amount: money\n"
				 " ws['G3'].alignment.wrap_text and not ws['B2'].alignment.wrap_text,\n"
				 " ws.page_setup.orientation == 'landscape' and ws.sheet_properties.pageSetUpPr.fitToPage,\n"
				 " ws['G2'].value is None,\n"
				 " ws['B3'].value == \"=cmd|' /C calc'!A0\" and ws['B3'].data_type == 's',\n"
				 " ws['E3'].value == 'not a date' and ws['F3'].value == '2026-02-30T00:00:00Z',\n"
				 " ws['G3'].value.startswith('tab\\tnew\\nline'),  # \\x01 is _x0001_ in the file\n"
				 " ws.freeze_panes == 'A2',\n"
				 " ws.auto_filter.ref == 'A1:G3',\n"
				 " ws.column_dimensions['F'].width >= 16,\n"
				 " [[c.value for c in r] for r in wb['About'].iter_rows()] == [\n"
				 "   ['command', 'crm contact list -o out.xlsx'], ['user', 'ann'],\n"
				 "   ['time', '2026-01-31T10:30:00Z'], ['rows', 2]],\n"
				 "]\n"
				 "if not all(checks):\n"
				 "    print('xlsx checks failed:', [i for i, c in enumerate(checks) if not c])\n"
				 "    sys.exit(1)\n",
				 path),
			  0);

	/* A custom sheet name; no rows still gives a header, a filter over it and the About sheet. */
	o.sheet_name = "Contacts 2026";
	o.meta_command = o.meta_user = o.meta_time = NULL;
	p = crm_printer_new(&o, &err);
	CHECK(p != NULL);
	crm_printer_columns(p, cols, 2);
	CHECK_INT(crm_printer_finish(p, &err), CRM_OK);
	if (have_python("openpyxl"))
		CHECK_INT(python("import openpyxl, sys\n"
				 "wb = openpyxl.load_workbook(sys.argv[1])\n"
				 "ws = wb['Contacts 2026']\n"
				 "ok = (wb.sheetnames == ['Contacts 2026', 'About'] and ws.max_row == 1 and\n"
				 "      ws.auto_filter.ref == 'A1:B1' and\n"
				 "      [[c.value for c in r] for r in wb['About'].iter_rows()] == [['rows', 0]])\n"
				 "sys.exit(not ok)\n",
				 path),
			  0);

	/* Text longer than a cell holds is cut to Excel's 32767 characters, not dropped. */
	size_t nlong = 40000;
	char *longtext = malloc(2 * nlong + 1);
	for (size_t i = 0; i < nlong; i++)
		memcpy(longtext + 2 * i, "\xc3\xa9", 2);
	longtext[2 * nlong] = '\0';
	struct crm_value lrow[] = {I("1"), T(longtext)};
	p = crm_printer_new(&o, &err);
	crm_printer_columns(p, cols, 2);
	crm_printer_row(p, lrow);
	CHECK_INT(crm_printer_finish(p, &err), CRM_OK);
	free(longtext);
	if (have_python("openpyxl"))
		CHECK_INT(python("import openpyxl, sys\n"
				 "ws = openpyxl.load_workbook(sys.argv[1])['Contacts 2026']\n"
				 "sys.exit(ws['B2'].value != '\\u00e9' * 32767)\n",
				 path),
			  0);
	remove(path);

	/* Errors: no path, a bad sheet name, a directory that does not exist. */
	o.sheet_name = NULL;
	o.path = NULL;
	CHECK(crm_printer_new(&o, &err) == NULL);
	CHECK_INT(err.code, CRM_EUSAGE);
	o.path = path;
	o.sheet_name = "a/b";
	CHECK(crm_printer_new(&o, &err) == NULL);
	CHECK_INT(err.code, CRM_EUSAGE);
	CHECK(strstr(err.msg, "a/b") != NULL);
	o.sheet_name = NULL;
	o.path = bad;
	CHECK(crm_printer_new(&o, &err) == NULL);
	CHECK_INT(err.code, CRM_EFAIL);
	char want[400];
	snprintf(want, sizeof want, "cannot write '%s': No such file or directory", bad);
	CHECK_STR(err.msg, want);
	CHECK(access(bad, F_OK) != 0);

	/* The directory goes away during the export: workbook_close fails at finish. */
	snprintf(bad, sizeof bad, "%s/gone", tmpdir);
	CHECK_INT(mkdir(bad, 0700), 0);
	snprintf(bad, sizeof bad, "%s/gone/out.xlsx", tmpdir);
	p = crm_printer_new(&o, &err);
	CHECK(p != NULL);
	CHECK(access(bad, F_OK) != 0); /* the early check leaves nothing behind */
	crm_printer_columns(p, cols, 7);
	crm_printer_row(p, rows);
	snprintf(bad, sizeof bad, "%s/gone", tmpdir);
	CHECK_INT(rmdir(bad), 0);
	fprintf(stderr, "(an [ERROR] line from libxlsxwriter is expected here)\n");
	CHECK_INT(crm_printer_finish(p, &err), CRM_EFAIL);
	snprintf(want, sizeof want, "cannot write '%s/gone/out.xlsx': ", tmpdir);
	CHECK(strncmp(err.msg, want, strlen(want)) == 0);
	CHECK(strlen(err.msg) > strlen(want));
}

static void test_write_error(void)
{
	FILE *f = fopen("/dev/full", "w");
	if (!f) {
		printf("note: no /dev/full; skipping the write-error check\n");
		return;
	}
	struct crm_err err;
	struct crm_printer_opts o = opts(CRM_FMT_CSV, f);
	o.path = "full.csv";
	struct crm_printer *p = crm_printer_new(&o, &err);
	crm_printer_columns(p, cols3, 3);
	CHECK_INT(crm_printer_finish(p, &err), CRM_EFAIL);
	CHECK(strncmp(err.msg, "cannot write 'full.csv': ", 25) == 0);
	fclose(f);
}

/* The one cleaning (issue 18.2): views get spaces and U+FFFD, messages visible escapes; C0, DEL,
 * C1 (U+009B is CSI) and a lone 0x9b (8-bit CSI) never come out raw; other text is untouched. */
static void test_clean(void)
{
	const char *evil = "a\033[2J\x9b\xc2\x9b\x7f\t\nb \xc3\xa9\xe2\x80\xa6";
	expect(crm_printer_clean(evil), "a [2J\xef\xbf\xbd    b \xc3\xa9\xe2\x80\xa6");
	expect(crm_printer_escape(evil), "a\\x1b[2J\\x9b\\u009b\\x7f\t\nb \xc3\xa9\xe2\x80\xa6");
	expect(crm_printer_clean("plain"), "plain");
	expect(crm_printer_escape(""), "");
	CHECK(crm_printer_clean(NULL) == NULL);
	CHECK(crm_printer_escape(NULL) == NULL);
	/* json: the same string, every control escaped, C1 and DEL included */
	struct crm_value v[] = { { CRM_V_TEXT, "a\033\xc2\x9b\x7f\xc2\xa0" "b" } };
	const char *cols[] = { "t" };
	expect(tabular(opts(CRM_FMT_JSON, NULL), cols, 1, v, 1), "[\n{\"t\":\"a\\u001b\\u009b\\u007f\xc2\xa0" "b\"}\n]\n");
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_formats();
	test_tsv();
	test_csv();
	test_json();
	test_structural();
	test_sections();
	test_table();
	test_yaml();
	test_xlsx();
	test_write_error();
	test_clean();
	rmdir(tmpdir);
	return UNIT_DONE();
}
