/* iCalendar files of tasks and events through libical (crm/ical.h). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
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
	if (date) { /* the day it is on the user's calendar (VALUE=DATE), whatever zone libical knows */
		time_t v = crm_time_parse_iso(iso);
		struct tm tm;
		localtime_r(&v, &tm);
		struct icaltimetype t = icaltime_null_time();
		t.year = tm.tm_year + 1900;
		t.month = tm.tm_mon + 1;
		t.day = tm.tm_mday;
		t.is_date = 1;
		return make(t);
	}
	if (!zone)
		return make(utc_time(iso, date));
	struct icaltimetype t = icaltime_from_timet_with_zone(crm_time_parse_iso(iso), date, zone);
	t.zone = zone; /* libical converts the clock but leaves the zone UTC */
	icalproperty *p = make(t);
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

/* ---------------------------------------------------------------- invitations: who is asked */

static const struct { const char *name; icalparameter_role role; } roles[] = {
	{ "chair", ICAL_ROLE_CHAIR }, { "required", ICAL_ROLE_REQPARTICIPANT },
	{ "optional", ICAL_ROLE_OPTPARTICIPANT }, { "non-participant", ICAL_ROLE_NONPARTICIPANT },
};
static const struct { const char *name; icalparameter_partstat partstat; } answers[] = {
	{ "needs-action", ICAL_PARTSTAT_NEEDSACTION }, { "accepted", ICAL_PARTSTAT_ACCEPTED },
	{ "declined", ICAL_PARTSTAT_DECLINED }, { "tentative", ICAL_PARTSTAT_TENTATIVE },
	{ "delegated", ICAL_PARTSTAT_DELEGATED },
};

/* ORGANIZER and ATTENDEE of task id, as the invitation named them (task_attendees), in order. */
static int attendees_write(struct crm *crm, icalcomponent *c, long long id, struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_prepare(crm, "SELECT role, email, name, status FROM task_attendees WHERE task_id = ? "
			     "ORDER BY position", &st, err);
	if (rc)
		return rc;
	crm_bind_int64(st, 1, id);
	int step;
	while ((step = crm_step(st)) == CRM_SQL_ROW) {
		const char *role = txt(st, 0), *email = txt(st, 1), *name = txt(st, 2), *status = txt(st, 3);
		char addr[512];
		snprintf(addr, sizeof addr, "mailto:%s", email ? email : "");
		int organizer = role && strcmp(role, "organizer") == 0;
		icalproperty *p = organizer ? icalproperty_new_organizer(addr) : icalproperty_new_attendee(addr);
		if (name && *name)
			icalproperty_add_parameter(p, icalparameter_new_cn(name));
		for (size_t i = 0; !organizer && role && i < sizeof roles / sizeof *roles; i++)
			if (strcmp(role, roles[i].name) == 0)
				icalproperty_add_parameter(p, icalparameter_new_role(roles[i].role));
		for (size_t i = 0; !organizer && status && i < sizeof answers / sizeof *answers; i++)
			if (strcmp(status, answers[i].name) == 0)
				icalproperty_add_parameter(p, icalparameter_new_partstat(answers[i].partstat));
		icalcomponent_add_property(c, p);
	}
	crm_finalize(st);
	return step == CRM_SQL_DONE ? CRM_OK : crm_db_error(crm, step, "reading an event's attendees", err);
}

struct attendee {
	const char *role, *email, *name, *status; /* pointing into the parsed component */
	long long contact, user;
};

/* The number of the first record of table whose email is addr (compared as contacts' unique
 * index compares it: ASCII case ignored), else 0. */
static int by_email(struct crm *crm, const char *sql, const char *addr, long long *id, struct crm_err *err)
{
	crm_stmt *st;
	*id = 0;
	int rc = crm_prepare(crm, sql, &st, err);
	if (rc)
		return rc;
	crm_bind_text(st, 1, addr);
	int step = crm_step(st);
	if (step == CRM_SQL_ROW)
		*id = crm_col_int64(st, 0);
	crm_finalize(st);
	return step == CRM_SQL_ROW || step == CRM_SQL_DONE ? CRM_OK
							   : crm_db_error(crm, step, "matching an attendee", err);
}

/* The ORGANIZER (first) and the ATTENDEEs of c with the contact and user of each address. One
 * without an address is nothing to keep; one with an address no record has is kept all the same. */
static int attendees_read(struct crm *crm, icalcomponent *c, struct attendee **out, int *n, struct crm_err *err)
{
	*out = NULL;
	*n = 0;
	int cap = 0, rc = CRM_OK;
	static const icalproperty_kind kinds[] = { ICAL_ORGANIZER_PROPERTY, ICAL_ATTENDEE_PROPERTY };
	for (int k = 0; k < 2 && !rc; k++)
		for (icalproperty *p = icalcomponent_get_first_property(c, kinds[k]); p && !rc;
		     p = k ? icalcomponent_get_next_property(c, kinds[k]) : NULL) {
			const char *v = k ? icalproperty_get_attendee(p) : icalproperty_get_organizer(p);
			if (v && strncasecmp(v, "mailto:", 7) == 0)
				v += 7;
			while (v && *v == ' ')
				v++;
			if (!v || !*v)
				continue;
			if (*n == cap)
				*out = xrealloc(*out, (size_t)(cap = cap ? cap * 2 : 8) * sizeof **out);
			struct attendee *a = &(*out)[(*n)++];
			icalparameter *cn = icalproperty_get_first_parameter(p, ICAL_CN_PARAMETER);
			*a = (struct attendee){ k ? "required" : "organizer", v, cn ? icalparameter_get_cn(cn) : NULL,
						NULL, 0, 0 };
			icalparameter *role = k ? icalproperty_get_first_parameter(p, ICAL_ROLE_PARAMETER) : NULL;
			for (size_t i = 0; role && i < sizeof roles / sizeof *roles; i++)
				if (icalparameter_get_role(role) == roles[i].role)
					a->role = roles[i].name;
			icalparameter *ps = k ? icalproperty_get_first_parameter(p, ICAL_PARTSTAT_PARAMETER) : NULL;
			for (size_t i = 0; ps && i < sizeof answers / sizeof *answers; i++)
				if (icalparameter_get_partstat(ps) == answers[i].partstat)
					a->status = answers[i].name;
			rc = by_email(crm, "SELECT id FROM contacts WHERE email = ?1 COLLATE NOCASE ORDER BY id LIMIT 1", v,
				      &a->contact, err);
			if (!rc)
				rc = by_email(crm, "SELECT id FROM users WHERE email = ?1 COLLATE NOCASE ORDER BY id LIMIT 1", v,
					      &a->user, err);
		}
	return rc;
}

/* The invitation's people replace those task id had. */
static int attendees_save(struct crm *crm, long long id, const struct attendee *a, int n, struct crm_err *err)
{
	crm_stmt *st;
	int rc = crm_prepare(crm, "DELETE FROM task_attendees WHERE task_id = ?", &st, err);
	if (rc)
		return rc;
	crm_bind_int64(st, 1, id);
	int step = crm_step(st);
	crm_finalize(st);
	if (step != CRM_SQL_DONE)
		return crm_db_error(crm, step, "replacing an event's attendees", err);
	for (int i = 0; i < n; i++) {
		if ((rc = crm_prepare(crm, "INSERT INTO task_attendees (task_id, position, role, email, name, status, "
				      "contact_id, user_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", &st, err)))
			return rc;
		crm_bind_int64(st, 1, id);
		crm_bind_int64(st, 2, i + 1);
		crm_bind_text(st, 3, a[i].role);
		crm_bind_text(st, 4, a[i].email);
		if (a[i].name)
			crm_bind_text(st, 5, a[i].name);
		else
			crm_bind_null(st, 5);
		if (a[i].status)
			crm_bind_text(st, 6, a[i].status);
		else
			crm_bind_null(st, 6);
		if (a[i].contact)
			crm_bind_int64(st, 7, a[i].contact);
		else
			crm_bind_null(st, 7);
		if (a[i].user)
			crm_bind_int64(st, 8, a[i].user);
		else
			crm_bind_null(st, 8);
		step = crm_step(st);
		crm_finalize(st);
		if (step != CRM_SQL_DONE)
			return crm_db_error(crm, step, "keeping an event's attendees", err);
	}
	return CRM_OK;
}

/* The event's contacts: those it has (tid, 0 for a new one) and the attendees' that are
 * contacts, as the list the contacts field takes ("3,7"); NULL when there are none to add. */
static int contacts_with(struct crm *crm, long long tid, const struct attendee *a, int n, char **out,
			 struct crm_err *err)
{
	*out = NULL;
	struct strbuf b = { 0 };
	int added = 0;
	if (tid) {
		crm_stmt *st;
		int rc = crm_prepare(crm, "SELECT target_id FROM task_contacts WHERE record_id = ? ORDER BY target_id", &st,
				     err);
		if (rc)
			return rc;
		crm_bind_int64(st, 1, tid);
		int step;
		while ((step = crm_step(st)) == CRM_SQL_ROW)
			sb_addf(&b, "%s%lld", b.len ? "," : "", crm_col_int64(st, 0));
		crm_finalize(st);
		if (step != CRM_SQL_DONE) {
			sb_free(&b);
			return crm_db_error(crm, step, "reading an event's contacts", err);
		}
	}
	for (int i = 0; i < n; i++) {
		if (!a[i].contact)
			continue;
		char one[32];
		snprintf(one, sizeof one, "%lld", a[i].contact);
		size_t len = strlen(one);
		int have = 0;
		for (const char *p = b.s; p && *p && !have; p = strchr(p, ',') ? strchr(p, ',') + 1 : "")
			have = strncmp(p, one, len) == 0 && (p[len] == ',' || !p[len]);
		if (!have) {
			sb_addf(&b, "%s%s", b.len ? "," : "", one);
			added = 1;
		}
	}
	if (added)
		*out = sb_take(&b);
	else
		sb_free(&b);
	return CRM_OK;
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
	crm_finalize(st);
	rc = attendees_write(crm, c, id, err);
	icalcomponent_add_component(cal, c);
	return rc;
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

/* A DTSTART, DTEND or DUE of a file as crm takes it: a DATE (all-day) as the day itself, which the
 * record engine makes the user's local midnight, so the day stays the day on the user's calendar;
 * a time in a zone (UTC, a VTIMEZONE of the file, or a TZID libical did not resolve but the
 * system's zone database knows) as the UTC instant; a floating time as the user's wall clock. */
static void time_of(icalcomponent *c, icalproperty_kind kind, struct icaltimetype t, char *out, size_t size)
{
	*out = '\0';
	if (icaltime_is_null_time(t))
		return;
	if (t.is_date) {
		snprintf(out, size, "%04d-%02d-%02d", t.year, t.month, t.day);
		return;
	}
	if (!t.zone) {
		icalproperty *p = icalcomponent_get_first_property(c, kind);
		icalparameter *tz = p ? icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER) : NULL;
		const char *name = tz ? icalparameter_get_tzid(tz) : NULL;
		t.zone = name ? icaltimezone_get_builtin_timezone(name) : NULL;
	}
	if (!t.zone) {
		snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02d", t.year, t.month, t.day, t.hour, t.minute, t.second);
		return;
	}
	iso_of(t, out, size);
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
		struct icaltimetype ds = icalcomponent_get_dtstart(c), de = icaltime_null_time(), dd = icaltime_null_time();
		if (ck == ICAL_VEVENT_COMPONENT)
			de = icalcomponent_get_dtend(c);
		else if (icalcomponent_get_first_property(c, ICAL_DUE_PROPERTY))
			dd = icalcomponent_get_due(c);
		char start[32], end[32], due[32];
		time_of(c, ICAL_DTSTART_PROPERTY, ds, start, sizeof start);
		time_of(c, ICAL_DTEND_PROPERTY, de, end, sizeof end);
		time_of(c, ICAL_DUE_PROPERTY, dd, due, sizeof due);
		int all_day = icaltime_is_null_time(ds) ? dd.is_date : ds.is_date;
		struct attendee *people;
		int npeople;
		char *contacts = NULL;
		if ((rc = attendees_read(crm, c, &people, &npeople, err))) {
			free(people);
			break;
		}
		struct crm_assign set[10];
		int nset = 0;
		set[nset++] = (struct crm_assign){ "title", summary && *summary ? summary : "(no title)" };
		if (*start)
			set[nset++] = (struct crm_assign){ "start", start };
		if (*end)
			set[nset++] = (struct crm_assign){ "end", end };
		if (*due)
			set[nset++] = (struct crm_assign){ "due", due };
		if (desc && *desc)
			set[nset++] = (struct crm_assign){ "notes", desc };
		set[nset++] = (struct crm_assign){ "all_day", all_day ? "yes" : "no" };
		long long id;
		if (!(rc = find_uid(crm, uid, &id, err)))
			rc = contacts_with(crm, id, people, npeople, &contacts, err);
		if (!rc && contacts) /* the attendees that are contacts: linked, as contacts are */
			set[nset++] = (struct crm_assign){ "contacts", contacts };
		if (!rc && id) {
			int changed = 0;
			rc = crm_record_edit(crm, k, id, set, nset, &changed, err);
			*updated += changed > 0;
		} else if (!rc) {
			set[nset++] = (struct crm_assign){ "type", ck == ICAL_VEVENT_COMPONENT ? "event" : "task" };
			set[nset++] = (struct crm_assign){ "uid", uid };
			rc = crm_record_add(crm, k, set, nset, &id, err);
			*created += rc == CRM_OK;
		}
		if (!rc)
			rc = attendees_save(crm, id, people, npeople, err);
		free(people);
		free(contacts);
	}
	icalcomponent_free(root);
	if (!rc && !seen)
		rc = crm_error(err, CRM_EINVALID, "no VEVENT or VTODO in the file");
	return rc;
}
