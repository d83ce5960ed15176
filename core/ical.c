/* iCalendar files of tasks and events through libical (crm/ical.h). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libical/ical.h>
#include "crm/date.h"
#include "crm/ical.h"
#include "crm/kind.h"
#include "crm/record.h"
#include "db.h"
#include "lazy_ical.h"
#include "util.h"

static struct icaltimetype utc_time(const char *iso, int date)
{
	return icaltime_from_timet_with_zone(crm_time_parse_iso(iso), date, icaltimezone_get_utc_timezone());
}

/* The user's zone as libical knows it (crm_zone_name; its rules from the system's zoneinfo), or
 * NULL: UTC, or a zone libical cannot name (a POSIX rule in TZ), whose times are written in UTC. */
static icaltimezone *user_zone(struct crm *crm)
{
	char name[128];
	crm_zone_name(crm->env.tz, name, sizeof name);
	if (strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0 || strcmp(name, "UTC0") == 0)
		return NULL;
	return icaltimezone_get_builtin_timezone(name);
}

/* DTSTART, DTEND or DUE: in the user's zone with its TZID (RFC 5545 3.3.5, form 3) when there is
 * one, so that a client expands an RRULE on the same wall clock as crm does; else in UTC. A day
 * (all-day) is the local date, without a zone. */
static icalproperty *when_prop(icalproperty *(*make)(struct icaltimetype), const char *iso, int date,
			       icaltimezone *zone)
{
	if (!zone)
		return make(utc_time(iso, date));
	struct icaltimetype t = icaltime_from_timet_with_zone(crm_time_parse_iso(iso), date, zone);
	t.zone = zone; /* libical converts the clock but leaves the zone UTC */
	icalproperty *p = make(t);
	if (!date)
		icalproperty_add_parameter(p, icalparameter_new_tzid(icaltimezone_get_location(zone)));
	return p;
}

/* The VTIMEZONE for zone, its TZID the zone's name (libical's own carries a prefix of its
 * project's). */
static icalcomponent *vtimezone(icaltimezone *zone)
{
	icalcomponent *c = icalcomponent_new_clone(icaltimezone_get_component(zone));
	icalproperty *id = icalcomponent_get_first_property(c, ICAL_TZID_PROPERTY);
	if (id)
		icalproperty_set_tzid(id, icaltimezone_get_location(zone));
	return c;
}

static int is_event(const char *type)
{
	return type && (strcasecmp(type, "event") == 0 || strcasecmp(type, "meeting") == 0 ||
			strcasecmp(type, "call") == 0);
}

static enum icalproperty_status status_of(const char *status, int event)
{
	if (status && strcasecmp(status, "cancelled") == 0)
		return ICAL_STATUS_CANCELLED;
	if (event)
		return ICAL_STATUS_CONFIRMED;
	if (status && strcasecmp(status, "done") == 0)
		return ICAL_STATUS_COMPLETED;
	if (status && strcasecmp(status, "approval") == 0)
		return ICAL_STATUS_INPROCESS;
	return ICAL_STATUS_NEEDSACTION;
}

#define ROW_SQL "SELECT id, title, type, status, priority, start_at, end_at, due, all_day, rrule, notes, updated, uid " \
	"FROM tasks WHERE id = ?"

static const char *txt(crm_stmt *st, int i)
{
	return crm_col_type(st, i) == CRM_COL_NULL ? NULL : crm_col_text(st, i);
}

static int add_task(struct crm *crm, icalcomponent *cal, long long id, icaltimezone *zone, struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_prepare(crm, ROW_SQL, &st, err);
	if (rc)
		return rc;
	crm_bind_int64(st, 1, id);
	int step = crm_step(st);
	if (step != CRM_SQL_ROW) {
		crm_finalize(st);
		return step == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, step, "reading a task", err);
	}
	const char *title = txt(st, 1), *type = txt(st, 2), *status = txt(st, 3), *prio = txt(st, 4),
		   *start = txt(st, 5), *end = txt(st, 6), *due = txt(st, 7), *rule = txt(st, 9), *notes = txt(st, 10),
		   *updated = txt(st, 11), *uid = txt(st, 12);
	int all_day = crm_col_type(st, 8) != CRM_COL_NULL && crm_col_int64(st, 8) != 0;
	int event = is_event(type);
	icalcomponent *c = icalcomponent_new(event ? ICAL_VEVENT_COMPONENT : ICAL_VTODO_COMPONENT);
	char buf[128];
	if (!uid) {
		snprintf(buf, sizeof buf, "crm-task-%lld@crm", id); /* stable: the task's number */
		uid = buf;
	}
	icalcomponent_add_property(c, icalproperty_new_uid(uid));
	icalcomponent_add_property(c, icalproperty_new_dtstamp(utc_time(updated, 0)));
	icalcomponent_add_property(c, icalproperty_new_lastmodified(utc_time(updated, 0)));
	icalcomponent_add_property(c, icalproperty_new_summary(title ? title : ""));
	if (notes)
		icalcomponent_add_property(c, icalproperty_new_description(notes));
	if (event && !start)
		start = due; /* an event is when it is */
	if (start)
		icalcomponent_add_property(c, when_prop(icalproperty_new_dtstart, start, all_day, zone));
	if (event && end)
		icalcomponent_add_property(c, when_prop(icalproperty_new_dtend, end, all_day, zone));
	if (!event && due)
		icalcomponent_add_property(c, when_prop(icalproperty_new_due, due, all_day, zone));
	icalcomponent_add_property(c, icalproperty_new_status(status_of(status, event)));
	if (prio) {
		int p = strcasecmp(prio, "urgent") == 0 ? 1 : strcasecmp(prio, "high") == 0 ? 3
			: strcasecmp(prio, "low") == 0 ? 9 : 5;
		icalcomponent_add_property(c, icalproperty_new_priority(p));
	}
	if (rule && (start || due)) { /* RFC 5545: a rule needs DTSTART */
		*icalerrno_return() = ICAL_NO_ERROR;
		struct icalrecurrencetype r = icalrecurrencetype_from_string(rule);
		if (r.freq != ICAL_NO_RECURRENCE)
			icalcomponent_add_property(c, icalproperty_new_rrule(r));
		if (!start)
			icalcomponent_add_property(c, when_prop(icalproperty_new_dtstart, due, all_day, zone));
	}
	icalcomponent_add_component(cal, c);
	crm_finalize(st);
	return CRM_OK;
}

int crm_ical_write(struct crm *crm, const long long *ids, int n, char **out, struct crm_err *err)
{
	*out = NULL;
	int rc = crm_lazy_ical(err);
	if (rc)
		return rc;
	icalerror_set_errors_are_fatal(0);
	icalcomponent *cal = icalcomponent_new_vcalendar();
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_prodid("-//crm//tasks and events//EN"));
	icaltimezone *zone = user_zone(crm);
	if (zone && n) /* the zone's rules, before the times that name it */
		icalcomponent_add_component(cal, vtimezone(zone));
	for (int i = 0; i < n && !rc; i++)
		rc = add_task(crm, cal, ids[i], zone, err);
	if (!rc) {
		char *s = icalcomponent_as_ical_string_r(cal);
		*out = xstrdup(s ? s : "");
		icalmemory_free_buffer(s);
	}
	icalcomponent_free(cal);
	return rc;
}

static void iso_of(struct icaltimetype t, char *out, size_t size)
{
	icaltimezone *utc = icaltimezone_get_utc_timezone();
	time_t v = icaltime_as_timet_with_zone(t, t.zone ? t.zone : utc);
	crm_time_format_utc(v, out, size);
}

static int find_uid(struct crm *crm, const char *uid, long long *id, struct crm_err *err)
{
	crm_stmt *st;
	*id = 0;
	int rc = crm_prepare(crm, "SELECT id FROM tasks WHERE uid = ?", &st, err);
	if (rc)
		return rc;
	crm_bind_text(st, 1, uid);
	if (crm_step(st) == CRM_SQL_ROW)
		*id = crm_col_int64(st, 0);
	crm_finalize(st);
	return CRM_OK;
}

int crm_ical_import(struct crm *crm, const char *text, int *created, int *updated, struct crm_err *err)
{
	*created = *updated = 0;
	int rc = crm_lazy_ical(err);
	if (rc)
		return rc;
	icalerror_set_errors_are_fatal(0);
	icalcomponent *root = icalparser_parse_string(text);
	if (!root)
		return crm_error(err, CRM_EINVALID, "not an iCalendar file");
	const struct crm_kind *k = crm_kind_find("task");
	icalcomponent *list = root, *one = NULL;
	int kind = icalcomponent_isa(root);
	if (kind == ICAL_VEVENT_COMPONENT || kind == ICAL_VTODO_COMPONENT)
		one = root;
	else if (kind != ICAL_VCALENDAR_COMPONENT && kind != ICAL_XROOT_COMPONENT) {
		icalcomponent_free(root);
		return crm_error(err, CRM_EINVALID, "not an iCalendar file: no VCALENDAR");
	}
	int seen = 0;
	for (icalcomponent *c = one ? one : icalcomponent_get_first_component(list, ICAL_ANY_COMPONENT); c && !rc;
	     c = one ? NULL : icalcomponent_get_next_component(list, ICAL_ANY_COMPONENT)) {
		int ck = icalcomponent_isa(c);
		if (ck != ICAL_VEVENT_COMPONENT && ck != ICAL_VTODO_COMPONENT)
			continue;
		seen++;
		const char *uid = icalcomponent_get_uid(c), *summary = icalcomponent_get_summary(c),
			   *desc = icalcomponent_get_description(c);
		if (!uid || !*uid) {
			rc = crm_error(err, CRM_EINVALID, "an event without a UID cannot be kept (it could not be updated)");
			break;
		}
		struct icaltimetype ds = icalcomponent_get_dtstart(c), de = icalcomponent_get_dtend(c);
		char start[32] = "", end[32] = "";
		if (!icaltime_is_null_time(ds))
			iso_of(ds, start, sizeof start);
		if (!icaltime_is_null_time(de))
			iso_of(de, end, sizeof end);
		struct crm_assign set[8];
		int nset = 0;
		set[nset++] = (struct crm_assign){ "title", summary && *summary ? summary : "(no title)" };
		if (*start)
			set[nset++] = (struct crm_assign){ "start", start };
		if (*end)
			set[nset++] = (struct crm_assign){ "end", end };
		if (desc && *desc)
			set[nset++] = (struct crm_assign){ "notes", desc };
		set[nset++] = (struct crm_assign){ "all_day", ds.is_date ? "yes" : "no" };
		long long id;
		if ((rc = find_uid(crm, uid, &id, err)))
			break;
		if (id) {
			int changed = 0;
			rc = crm_record_edit(crm, k, id, set, nset, &changed, err);
			*updated += changed > 0;
		} else {
			set[nset++] = (struct crm_assign){ "type", ck == ICAL_VEVENT_COMPONENT ? "event" : "task" };
			set[nset++] = (struct crm_assign){ "uid", uid };
			rc = crm_record_add(crm, k, set, nset, &id, err);
			*created += rc == CRM_OK;
		}
	}
	icalcomponent_free(root);
	if (!rc && !seen)
		rc = crm_error(err, CRM_EINVALID, "no VEVENT or VTODO in the file");
	return rc;
}
