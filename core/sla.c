/* Service-level targets and the clock that measures tickets against them. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "crm/sla.h"
#include "crm/workflow.h"
#include "util.h"

struct target {
	const char *priority; /* borrowed from the configuration */
	long long response, resolution; /* -1: none */
};

struct crm_sla {
	struct target *t;
	int n;
	const char **paused;
	int npaused;
};

int crm_duration_parse(const char *text, long long *seconds)
{
	long long total = 0;
	const char *p = text;
	if (!p || !*p)
		return -1;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!isdigit((unsigned char)*p))
			return -1;
		char *end;
		long long v = strtoll(p, &end, 10);
		if (v < 0 || v > 100000000LL)
			return -1;
		p = end;
		while (*p == ' ')
			p++;
		long long unit;
		switch (tolower((unsigned char)*p)) {
		case 's': unit = 1; break;
		case 'm': unit = 60; break;
		case 'h': unit = 3600; break;
		case 'd': unit = 86400; break;
		case 'w': unit = 7 * 86400; break;
		default: return -1;
		}
		/* Allow the long spellings: "4 hours", "30 min", "2 days". */
		p++;
		while (isalpha((unsigned char)*p))
			p++;
		total += v * unit;
		while (*p == ' ' || *p == ',')
			p++;
	}
	*seconds = total;
	return 0;
}

void crm_sla_free(struct crm_sla *s)
{
	if (!s)
		return;
	free(s->t);
	free(s->paused);
	free(s);
}

static int duration_at(const struct crm_conf_node *n, const char *key, long long *out,
		       struct crm_err *err)
{
	const struct crm_conf_node *v = crm_conf_get(n, key);
	*out = -1;
	if (!v)
		return CRM_OK;
	const char *s = crm_conf_scalar(v);
	if (!s || crm_duration_parse(s, out))
		return crm_error(err, CRM_ECONFIG, "%s: sla %s target '%s' is not a duration (like 4h, 2d, "
				 "90m)", crm_wf_where(v), key, s ? s : "");
	return CRM_OK;
}

int crm_sla_load(const struct crm_config *cfg, struct crm_sla **out, struct crm_err *err)
{
	struct crm_sla *s = xcalloc(1, sizeof *s);
	const struct crm_conf_node *root = crm_config_node(cfg, "sla");
	const struct crm_conf_node *targets = crm_conf_get(root, "targets");
	const struct crm_conf_node *paused = crm_conf_get(root, "paused");
	int rc = CRM_OK;
	*out = NULL;
	if (root && crm_conf_type(root) != CRM_CONF_MAP) {
		rc = crm_error(err, CRM_ECONFIG, "%s: sla must be a map (targets, paused)", crm_wf_where(root));
		goto fail;
	}
	if (targets && crm_conf_type(targets) != CRM_CONF_MAP) {
		rc = crm_error(err, CRM_ECONFIG, "%s: sla.targets must map priorities to {response, "
			       "resolution}", crm_wf_where(targets));
		goto fail;
	}
	s->n = (int)crm_conf_count(targets);
	s->t = xcalloc((size_t)(s->n ? s->n : 1), sizeof *s->t);
	for (int i = 0; i < s->n; i++) {
		const struct crm_conf_node *t = crm_conf_child(targets, (size_t)i);
		s->t[i].priority = crm_conf_key(targets, (size_t)i);
		if (crm_conf_type(t) != CRM_CONF_MAP) {
			rc = crm_error(err, CRM_ECONFIG, "%s: sla.targets.%s must be a map of response and "
				       "resolution", crm_wf_where(t), s->t[i].priority);
			goto fail;
		}
		if ((rc = duration_at(t, "response", &s->t[i].response, err)) ||
		    (rc = duration_at(t, "resolution", &s->t[i].resolution, err)))
			goto fail;
	}
	if (paused) {
		if (crm_conf_type(paused) == CRM_CONF_SCALAR) {
			s->paused = xcalloc(1, sizeof *s->paused);
			s->paused[s->npaused++] = crm_conf_scalar(paused);
		} else if (crm_conf_type(paused) == CRM_CONF_SEQ) {
			size_t n = crm_conf_count(paused);
			s->paused = xcalloc(n ? n : 1, sizeof *s->paused);
			for (size_t i = 0; i < n; i++) {
				const char *v = crm_conf_scalar(crm_conf_child(paused, i));
				if (!v) {
					rc = crm_error(err, CRM_ECONFIG, "%s: sla.paused must list statuses",
						       crm_wf_where(paused));
					goto fail;
				}
				s->paused[s->npaused++] = v;
			}
		} else {
			rc = crm_error(err, CRM_ECONFIG, "%s: sla.paused must list statuses", crm_wf_where(paused));
			goto fail;
		}
	}
	*out = s;
	return CRM_OK;
fail:
	crm_sla_free(s);
	return rc;
}

long long crm_sla_target(const struct crm_sla *s, const char *priority, enum crm_sla_which which)
{
	for (int i = 0; s && priority && i < s->n; i++)
		if (strcasecmp(s->t[i].priority, priority) == 0)
			return which == CRM_SLA_RESPONSE ? s->t[i].response : s->t[i].resolution;
	return -1;
}

int crm_sla_paused(const struct crm_sla *s, const char *status)
{
	for (int i = 0; s && status && i < s->npaused; i++)
		if (strcasecmp(s->paused[i], status) == 0)
			return 1;
	return 0;
}

const char *crm_sla_priority(const struct crm_sla *s, int i)
{
	return s && i >= 0 && i < s->n ? s->t[i].priority : NULL;
}

const char *crm_sla_paused_status(const struct crm_sla *s, int i)
{
	return s && i >= 0 && i < s->npaused ? s->paused[i] : NULL;
}

void crm_sla_eval(const struct crm_sla *s, const struct crm_sla_ticket *t, time_t now,
		  struct crm_sla_state *out)
{
	memset(out, 0, sizeof *out);
	if (!t->opened)
		return;
	long long response = crm_sla_target(s, t->priority, CRM_SLA_RESPONSE);
	long long resolution = crm_sla_target(s, t->priority, CRM_SLA_RESOLUTION);
	if (response >= 0) {
		out->response_due = t->opened + (time_t)response;
		/* Resolving is an answer too: a ticket resolved unanswered was answered then. */
		time_t answered = t->responded ? t->responded : t->resolved ? t->resolved : now;
		out->response_breach = answered > out->response_due;
	}
	if (resolution >= 0) {
		time_t stop = t->paused_since ? t->paused_since : now;
		long long used = (long long)(stop - t->opened) - t->paused_seconds;
		out->resolution_breach = used > resolution;
		/* While an open ticket waits, its deadline moves on with the clock stopped. */
		long long waiting = t->paused_since && !t->resolved && now > t->paused_since
					    ? (long long)(now - t->paused_since) : 0;
		out->resolution_due = t->opened + (time_t)(resolution + t->paused_seconds + waiting);
	}
}
