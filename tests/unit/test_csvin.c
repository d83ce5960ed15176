/* Unit tests for core/csvin.c: records, line numbers, delimiters, encodings and malformed input. */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include "crm/csvin.h"
#include "unit.h"

static char got[4096];

/* Every record as "LINE:field|field" lines, then "END" or "ERR <code> <message>". */
static const char *read_as(const char *text, size_t len, int delimiter, const char *encoding,
			   enum crm_in_format format)
{
	FILE *f = fmemopen((void *)text, len, "rb");
	struct crm_csvin *r;
	struct crm_err err = { 0 };
	struct crm_csvin_opts o = { delimiter, encoding, format };
	size_t n = 0;
	got[0] = '\0';
	int rc = crm_csvin_open(&r, f, "t.csv", &o, &err);
	if (rc) {
		snprintf(got, sizeof got, "ERR %d %s", rc, err.msg);
		fclose(f);
		return got;
	}
	struct crm_csv_row row;
	while ((rc = crm_csvin_next(r, &row, &err)) == 1) {
		n += (size_t)snprintf(got + n, sizeof got - n, "%lld:", row.line);
		for (int i = 0; i < row.nfields; i++)
			n += (size_t)snprintf(got + n, sizeof got - n, "%s%s", i ? "|" : "", row.fields[i]);
		n += (size_t)snprintf(got + n, sizeof got - n, "\n");
	}
	if (rc < 0)
		snprintf(got + n, sizeof got - n, "ERR %d %s", -rc, err.msg);
	else
		snprintf(got + n, sizeof got - n, "END");
	crm_csvin_close(r);
	fclose(f);
	return got;
}

static const char *read_csv(const char *text, size_t len, int delimiter, const char *encoding)
{
	return read_as(text, len, delimiter, encoding, CRM_IN_CSV);
}

#define CSV(text) read_csv(text, sizeof(text) - 1, 0, NULL)
#define AS(fmt, text) read_as(text, sizeof(text) - 1, 0, NULL, fmt)

int main(void)
{
	/* TSV as -F tsv writes it: escapes undone, quotes and spaces are text, one line a record. */
	CHECK_STR(AS(CRM_IN_TSV, "a\tb\n\"q\" \t x\\ty\\nz\\\\w\\q\n"), "1:a|b\n2:\"q\" | x\ty\nz\\w\\q\nEND");
	CHECK_STR(AS(CRM_IN_TSV, "a\tb\r\n\r\n1\t\r\n2\t3"), "1:a|b\n3:1|\n4:2|3\nEND");
	CHECK_STR(AS(CRM_IN_AUTO, "a\tb\n1\\n\t2\n"), "1:a|b\n2:1\n|2\nEND"); /* sniffed: tsv */
	CHECK_STR(AS(CRM_IN_AUTO, "a,b\n1\\n,2\n"), "1:a|b\n2:1\\n|2\nEND");  /* sniffed: csv */
	CHECK_STR(AS(CRM_IN_TSV, "a\xff\n"), "ERR 6 't.csv' line 1: not valid UTF-8; give --encoding with the file's encoding (e.g. --encoding cp1252)");
	/* JSON and NDJSON: the first object's keys are the header; null, missing and [] are empty. */
	CHECK_STR(AS(CRM_IN_AUTO, "[\n{\"a\":1,\"b\":\"x\\ty\\u00e9\"},\n{\"b\":null,\"a\":true},\n{\"a\":[\"p\",\"q\"]}\n]\n"),
		  "2:a|b\n2:1|x\ty\xc3\xa9\n3:true|\n4:p, q|\nEND");
	CHECK_STR(AS(CRM_IN_AUTO, "{\"a\": \"1\"}\n\n{\"a\": \"- 2\"}\n"), "1:a\n1:1\n3:- 2\nEND");
	CHECK_STR(AS(CRM_IN_JSON, "[]"), "END");
	CHECK_STR(AS(CRM_IN_JSON, ""), "END");
	CHECK_STR(AS(CRM_IN_JSON, "[{\"a\":1},{\"a\":2,\"a\":3}]"), "1:a\n1:1\nERR 6 't.csv' line 1: key 'a' given twice");
	CHECK_STR(AS(CRM_IN_JSON, "[{\"a\":1},\n{\"c\":2}]"), "1:a\n1:1\nERR 6 't.csv' line 2: key 'c' is not in the first record; every record takes its keys from those (a regular file, not a pipe, may have different keys in each record)");
	CHECK_STR(AS(CRM_IN_JSON, "[1]"), "ERR 6 't.csv' line 1: each record is an object: {\"field\": value, ...}");
	CHECK_STR(AS(CRM_IN_NDJSON, "{\"a\": 1}\n{\"a\": [[1]]}\n"), "1:a\n1:1\nERR 6 't.csv' line 2: 'a' holds an array or object inside an array");
	CHECK_STR(AS(CRM_IN_NDJSON, "{\"a\": 1\n"), "ERR 6 't.csv' line 1: not valid NDJSON (one JSON object a line): the record does not end on its line");
	CHECK_STR(AS(CRM_IN_NDJSON, "{\"a\": 1"), "ERR 6 't.csv' line 2: not valid NDJSON (one JSON object a line): did not find expected ',' or '}' while parsing a flow mapping");
	/* JSON as RFC 8259 has it, not the YAML libyaml takes */
	CHECK_STR(AS(CRM_IN_JSON, "[{\"a\": 01}]"), "ERR 6 't.csv' line 1: not valid JSON: the value of 'a' is neither text in double quotes nor a number, true, false or null");
	CHECK_STR(AS(CRM_IN_JSON, "[{\"a\": \"x\"}]\n[]"), "ERR 6 't.csv' line 2: not valid JSON: text after the array (a file holds one array of objects)");
	CHECK_STR(CSV("a,b\n1,2\n"), "1:a|b\n2:1|2\nEND");
	CHECK_STR(CSV("a,b\n1,2"), "1:a|b\n2:1|2\nEND"); /* no final line end */
	CHECK_STR(CSV("a,b\r\n1,2\r\n"), "1:a|b\n2:1|2\nEND");
	CHECK_STR(CSV("a,b\r1,2\r"), "1:a|b\n2:1|2\nEND"); /* old Mac line ends */
	CHECK_STR(CSV("\xef\xbb\xbf" "a,b\n1,2\n"), "1:a|b\n2:1|2\nEND");
	CHECK_STR(CSV("a,b\n\n  \n1,2\n\n"), "1:a|b\n4:1|2\nEND");
	/* Quoted fields keep commas, doubled quotes and line breaks; lines are counted inside them. */
	CHECK_STR(CSV("a,b\n\"x, y\",\"say \"\"hi\"\"\"\n\"1\n2\n3\",z\nlast,row\n"),
		  "1:a|b\n2:x, y|say \"hi\"\n3:1\n2\n3|z\n6:last|row\nEND");
	CHECK_STR(CSV("a,b\n\"1\r\n2\",z\r\nq,r\r\n"), "1:a|b\n2:1\r\n2|z\n4:q|r\nEND");
	CHECK_STR(CSV("a,b\n1,2,3\n4\n"), "1:a|b\n2:1|2|3\n3:4\nEND");
	CHECK_STR(CSV("a,b,\n1,,\n"), "1:a|b|\n2:1||\nEND");
	CHECK_STR(CSV(""), "END");
	/* Delimiters: sniffed from the first line, given, or named by Excel's sep= line. */
	CHECK_STR(CSV("a;b;c\n1,5;2;3\n"), "1:a|b|c\n2:1,5|2|3\nEND");
	CHECK_STR(CSV("a\tb\n1 \t 2\n"), "1:a|b\n2:1|2\nEND"); /* unquoted spaces trimmed */
	CHECK_STR(CSV("\"x,y\";b\n1;2\n"), "1:x,y|b\n2:1|2\nEND");
	CHECK_STR(CSV("sep=;\na;b\n1;2\n"), "2:a|b\n3:1|2\nEND");
	CHECK_STR(read_csv("a|b\n1|2\n", 8, '|', NULL), "1:a|b\n2:1|2\nEND");
	CHECK_STR(read_csv("a;b\n1;2\n", 8, ',', NULL), "1:a;b\n2:1;2\nEND");
	CHECK_STR(read_csv("a", 1, 'x', NULL), "ERR 2 the delimiter must be ',', ';', '|' or a tab");
	/* Malformed input names the line. */
	CHECK_STR(CSV("a,b\n1,2\n3,x\"y\n"),
		  "1:a|b\n2:1|2\nERR 6 't.csv' line 3: malformed quoting: a quote inside an unquoted field, "
		  "or text after a closing quote (double a quote inside a quoted field: \"\")");
	CHECK_STR(CSV("a,b\n\"1\"2,3\n"), "1:a|b\nERR 6 't.csv' line 2: malformed quoting: a quote inside an "
		  "unquoted field, or text after a closing quote (double a quote inside a quoted field: \"\")");
	CHECK_STR(CSV("a,b\n1,2\n\"open\nstill\n"),
		  "1:a|b\n2:1|2\nERR 6 't.csv' line 3: a quoted field starting on this line is never closed");
	CHECK_STR(CSV("a,b\n1,2\n3,M\xfcller\n"), "1:a|b\n2:1|2\nERR 6 't.csv' line 3: not valid UTF-8; give "
		  "--encoding with the file's encoding (e.g. --encoding cp1252)");
	CHECK_STR(CSV("a,b\n1,\xed\xa0\x80\n"), "1:a|b\nERR 6 't.csv' line 2: not valid UTF-8; give --encoding "
		  "with the file's encoding (e.g. --encoding cp1252)"); /* a surrogate */
	CHECK_STR(read_csv("a,b\n1,\0\n", 7, 0, NULL), "1:a|b\nERR 6 't.csv' line 2: not valid UTF-8; give "
		  "--encoding with the file's encoding (e.g. --encoding cp1252)");
	/* Encodings convert to UTF-8. */
	CHECK_STR(read_csv("a,b\n1,M\xfcller\n", 13, 0, "latin1"), "1:a|b\n2:1|Müller\nEND");
	CHECK_STR(read_csv("a\n\x80\n", 4, 0, "cp1252"), "1:a\n2:€\nEND");
	CHECK_STR(read_csv("\xff\xfe" "a\0,\0b\0\n\0", 10, 0, "UTF-16"), "1:a|b\nEND");
	CHECK_STR(read_csv("a", 1, 0, "klingon"), "ERR 2 unknown encoding 'klingon' (try latin1, cp1252, utf-16)");
	/* A record as long as a file is a quote never closed, refused before memory runs out. */
	size_t big = CRM_CSV_MAX_RECORD + 100;
	char *text = malloc(big + 16);
	memcpy(text, "a\n\"", 3);
	memset(text + 3, 'x', big);
	const char *r = read_csv(text, big + 3, 0, NULL);
	CHECK(strstr(r, "line 2: a record longer than") != NULL);
	free(text);
	return UNIT_DONE();
}
