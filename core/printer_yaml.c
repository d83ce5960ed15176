/* The yaml backend, through libyaml's emitter: a list is a sequence of mappings, show one
 * mapping; strings that a YAML 1.1 reader would take for something else are quoted, numbers
 * are spelt so that 1.1 and 1.2 readers agree, link fields (CRM_V_LIST) are sequences. */
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "printer_internal.h"

struct yaml {
	yaml_emitter_t em;
	int started, failed;
};

static struct yaml *Y(struct crm_printer *p)
{
	return p->be;
}

static int open_yaml(struct crm_printer *p, struct crm_err *err)
{
	(void)err;
	struct yaml *y = crm_pr_alloc(sizeof *y);
	memset(y, 0, sizeof *y);
	if (!yaml_emitter_initialize(&y->em))
		abort();
	yaml_emitter_set_output_file(&y->em, p->o.out);
	yaml_emitter_set_unicode(&y->em, 1); /* keep accents readable, not \xE9 */
	yaml_emitter_set_width(&y->em, -1);  /* long notes stay on one line */
	yaml_emitter_set_indent(&y->em, 2);
	p->be = y;
	return CRM_OK;
}

static void emit(struct crm_printer *p, yaml_event_t *ev)
{
	struct yaml *y = Y(p);
	/* After a failure the emitter is in an undefined state: stop, report it at finish. */
	if (y->failed) {
		yaml_event_delete(ev);
		return;
	}
	if (!yaml_emitter_emit(&y->em, ev))
		y->failed = 1;
}

static void stream_start(struct crm_printer *p)
{
	yaml_event_t ev;
	if (Y(p)->started)
		return;
	Y(p)->started = 1;
	if (!yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING))
		abort();
	emit(p, &ev);
}

static void doc(struct crm_printer *p, int start)
{
	yaml_event_t ev;
	if (start)
		stream_start(p);
	int ok = start ? yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1)
		       : yaml_document_end_event_initialize(&ev, 1);
	if (!ok)
		abort();
	emit(p, &ev);
}

static void collection(struct crm_printer *p, int is_map, int start)
{
	yaml_event_t ev;
	int ok;
	if (start && is_map)
		ok = yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
	else if (start)
		ok = yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
	else if (is_map)
		ok = yaml_mapping_end_event_initialize(&ev);
	else
		ok = yaml_sequence_end_event_initialize(&ev);
	if (!ok)
		abort();
	emit(p, &ev);
}

static void scalar(struct crm_printer *p, const char *s, int plain_implicit, int quoted_implicit,
		   yaml_scalar_style_t style)
{
	yaml_event_t ev;
	if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s),
					  plain_implicit, quoted_implicit, style))
		abort();
	emit(p, &ev);
}

/* Would a YAML 1.1 reader (PyYAML, libyaml users) resolve this plain scalar to something other
 * than a string? Deliberately broad: quoting a string needlessly is harmless. */
static int looks_typed(const char *s)
{
	static const char *const words[] = {"y", "n", "yes", "no", "true", "false", "on", "off",
					    "null", "<<", "="};
	if (!*s || strchr("0123456789+-.~", *s))
		return 1;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (crm_pr_caseeq(s, words[i]))
			return 1;
	return 0;
}

static void string(struct crm_printer *p, const char *text)
{
	char *tofree;
	const char *s = crm_pr_utf8_clean(text, &tofree); /* the emitter rejects invalid UTF-8 */
	yaml_scalar_style_t style = YAML_ANY_SCALAR_STYLE;
	int plain_ok = 1;
	if (strchr(s, '\r') || strstr(s, "\xc2\x85") || strstr(s, "\xe2\x80\xa8") ||
	    strstr(s, "\xe2\x80\xa9")) {
		/* Readers normalise these line breaks unless they are escaped. */
		style = YAML_DOUBLE_QUOTED_SCALAR_STYLE;
		plain_ok = 0;
	} else if (strchr(s, '\n')) {
		style = YAML_LITERAL_SCALAR_STYLE; /* the emitter falls back to quoting if it must */
		plain_ok = 0;
	} else if (looks_typed(s)) {
		plain_ok = 0; /* with plain_implicit=0 the emitter quotes */
	}
	scalar(p, s, plain_ok, 1, style);
	free(tofree);
}

/* Rewrite a number so that YAML 1.1 and 1.2 readers both see a number ("1e5" is a string to
 * PyYAML, "007" is octal): digits, an optional fraction, an exponent with a sign. Returns 0 if
 * the text is not a decimal number. */
static int number(const char *s, struct crm_pr_buf *b)
{
	const char *ip, *fp = NULL, *ep = NULL;
	size_t il, fl = 0, el = 0;
	char esign = '+';
	int neg = 0;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	ip = s;
	while (*s >= '0' && *s <= '9')
		s++;
	il = (size_t)(s - ip);
	if (*s == '.') {
		fp = ++s;
		while (*s >= '0' && *s <= '9')
			s++;
		fl = (size_t)(s - fp);
	}
	if (il == 0 && fl == 0)
		return 0;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			esign = *s++;
		ep = s;
		while (*s >= '0' && *s <= '9')
			s++;
		el = (size_t)(s - ep);
		if (el == 0)
			return 0;
	}
	if (*s)
		return 0;
	while (il > 1 && *ip == '0')
		ip++, il--;
	if (neg)
		crm_pr_buf_add(b, "-", 1);
	if (il)
		crm_pr_buf_add(b, ip, il);
	else
		crm_pr_buf_add(b, "0", 1);
	if (fp || ep) {
		crm_pr_buf_add(b, ".", 1);
		if (fl)
			crm_pr_buf_add(b, fp, fl);
		else
			crm_pr_buf_add(b, "0", 1);
	}
	if (ep) {
		crm_pr_buf_add(b, "e", 1);
		crm_pr_buf_add(b, &esign, 1);
		crm_pr_buf_add(b, ep, el);
	}
	return 1;
}

static void scalar_value(struct crm_printer *p, const struct crm_value *v)
{
	if (v->type == CRM_V_NULL || !v->text) {
		scalar(p, "null", 1, 0, YAML_PLAIN_SCALAR_STYLE);
		return;
	}
	if (v->type == CRM_V_INT || v->type == CRM_V_REAL) {
		struct crm_pr_buf b = {0};
		if (number(v->text, &b)) {
			scalar(p, b.p, 1, 0, YAML_PLAIN_SCALAR_STYLE);
			free(b.p);
			return;
		}
		free(b.p);
	}
	if (v->type == CRM_V_BOOL && crm_pr_bool(v->text) >= 0) {
		scalar(p, crm_pr_bool(v->text) ? "true" : "false", 1, 0, YAML_PLAIN_SCALAR_STYLE);
		return;
	}
	if (v->type == CRM_V_LIST) {
		yaml_event_t ev;
		if (!yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_FLOW_SEQUENCE_STYLE))
			abort();
		emit(p, &ev);
		const char *cur = v->text, *item;
		size_t len;
		while (crm_pr_list_next(&cur, &item, &len)) {
			struct crm_pr_buf b = {0};
			crm_pr_buf_add(&b, item, len);
			string(p, b.p);
			free(b.p);
		}
		collection(p, 0, 0);
		return;
	}
	string(p, v->text);
}

/* ---- tabular: a sequence of mappings ---- */

static void columns(struct crm_printer *p)
{
	doc(p, 1);
	collection(p, 0, 1);
}

static void row(struct crm_printer *p, const struct crm_value *cells)
{
	collection(p, 1, 1);
	for (int i = 0; i < p->ncols; i++) {
		string(p, p->cols[i]);
		scalar_value(p, &cells[i]);
	}
	collection(p, 1, 0);
}

/* ---- structural: each top-level value is a document ---- */

static void begin(struct crm_printer *p, int is_map)
{
	if (p->depth == 1)
		doc(p, 1);
	collection(p, is_map, 1);
}

static void key(struct crm_printer *p, const char *k)
{
	string(p, k);
}

static void value(struct crm_printer *p, const struct crm_value *v)
{
	if (!p->depth)
		doc(p, 1);
	scalar_value(p, v);
	if (!p->depth)
		doc(p, 0);
}

static void end(struct crm_printer *p, const struct crm_pr_frame *f)
{
	collection(p, f->is_map, 0);
	if (!p->depth)
		doc(p, 0);
}

static int finish(struct crm_printer *p, struct crm_err *err)
{
	struct yaml *y = Y(p);
	int rc = CRM_OK;
	if (p->mode == CRM_PR_TABULAR) {
		collection(p, 0, 0);
		doc(p, 0);
	}
	if (y->started) {
		yaml_event_t ev;
		if (!yaml_stream_end_event_initialize(&ev))
			abort();
		emit(p, &ev);
	}
	if (!y->failed && !yaml_emitter_flush(&y->em))
		y->failed = 1;
	if (y->failed)
		rc = crm_error(err, CRM_EFAIL, "cannot write YAML: %s", y->em.problem ? y->em.problem : "write error");
	yaml_emitter_delete(&y->em);
	free(y);
	return rc;
}

const struct crm_printer_ops crm_pr_yaml = {
	.name = "yaml",
	.structural = 1,
	.lists = 1,
	.open = open_yaml,
	.columns = columns,
	.row = row,
	.begin = begin,
	.key = key,
	.value = value,
	.end = end,
	.finish = finish,
};
