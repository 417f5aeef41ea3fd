/*
 * The demo's service catalogue: the tables of src/demo/demo_services.c
 * written through the catalogue's own rules (organisation_validate,
 * service_validate, hours_parse_text) into the store, as the API would
 * write them.
 */
#include "init_services.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../demo/demo_places.h"
#include "../demo/demo_services.h"
#include "../service/case_service.h"
#include "../util/timeutil.h"

struct dept_named {
	const char *name;
	int64_t id;
};

static int dept_row(void *ctx, const struct department_rec *d)
{
	struct dept_named *f = ctx;

	if (!f->id && strcmp(d->name, f->name) == 0)
		f->id = d->id;
	return 0;
}

static int64_t dept_id(struct store *st, const char *name, struct err *err)
{
	struct dept_named f = {name, 0};

	if (store_departments(st, dept_row, &f, err))
		return -1;
	if (!f.id)
		err_set(err, ERR_INTERNAL, "demo_department", NULL, "the demo has no department %s",
		        name);
	return f.id ? f.id : -1;
}

static int64_t jur_id(struct store *st, const char *code, struct err *err)
{
	struct jurisdiction j;

	return store_jurisdiction_by_code(st, code, &j, err) ? -1 : j.id;
}

/* Splits a list into an array of strings of size n, at most max. */
static int split(const char *s, char sep, char *items, size_t n, int max)
{
	int count = 0;

	while (s && *s && count < max) {
		const char *end = strchr(s, sep);
		size_t len = end ? (size_t)(end - s) : strlen(s);
		snprintf(items + (size_t)count * n, n, "%.*s", (int)len, s);
		count++;
		s = end ? end + 1 : NULL;
	}
	return count;
}

static int providers(struct store *st, const struct user *qifan, int64_t *ids, struct err *err)
{
	struct organisation *o = malloc(sizeof(*o));
	struct enterprise *e = malloc(sizeof(*e));
	int rc = -1;

	if (!o || !e) {
		err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	for (int i = 0; i < DEMO_PROVIDERS; i++) {
		const struct demo_provider *p = &demo_providers[i];
		memset(o, 0, sizeof(*o));
		snprintf(o->name_zh, sizeof(o->name_zh), "%s", p->name_zh);
		snprintf(o->name_en, sizeof(o->name_en), "%s", p->name_en);
		snprintf(o->kind, sizeof(o->kind), "%s", p->kind);
		snprintf(o->description, sizeof(o->description), "%s", p->description);
		snprintf(o->website, sizeof(o->website), "%s", p->website);
		snprintf(o->email, sizeof(o->email), "%s", p->email);
		snprintf(o->phone, sizeof(o->phone), "%s", p->phone);
		if ((o->jurisdiction_id = jur_id(st, p->jurisdiction, err)) < 0)
			goto out;
		if (p->leading) {
			/* Qifan stands for itself in the catalogue; the town sets
			 * its department when it approves the offer. */
			if (store_enterprise_get(st, qifan->enterprise_id, e, err))
				goto out;
			o->enterprise_id = e->id;
			o->cluster_id = e->cluster_id;
		} else if ((o->department_id = dept_id(st, p->department, err)) < 0) {
			goto out;
		}
		if (organisation_validate(o, err) || store_organisation_put(st, o, 0, err))
			goto out;
		ids[i] = o->id;
	}
	rc = 0;
out:
	free(o);
	free(e);
	return rc;
}

/* The service of table row i, ready to be written. */
static int service_of(struct store *st, int i, const int64_t *orgs, struct service *v,
                      struct err *err)
{
	const struct demo_service *d = &demo_services[i];
	const struct demo_provider *p = &demo_providers[d->provider];
	struct buf hours = BUF_INIT;
	int rc;

	service_init(v);
	v->provider_id = orgs[d->provider];
	snprintf(v->category, sizeof(v->category), "%s", d->category);
	snprintf(v->name_zh, sizeof(v->name_zh), "%s", d->name_zh);
	snprintf(v->name_en, sizeof(v->name_en), "%s", d->name_en);
	snprintf(v->description_zh, sizeof(v->description_zh), "%s", d->description_zh);
	snprintf(v->description_en, sizeof(v->description_en), "%s", d->description_en);
	snprintf(v->eligibility, sizeof(v->eligibility), "%s", d->eligibility);
	snprintf(v->fees, sizeof(v->fees), "%s", d->fees);
	snprintf(v->phone, sizeof(v->phone), "%s", d->phone);
	snprintf(v->email, sizeof(v->email), "%s", d->email);
	snprintf(v->url, sizeof(v->url), "%s", d->url);
	snprintf(v->last_verified, sizeof(v->last_verified), "%s", d->last_verified);
	v->nlanguages =
	    split(d->languages, ',', &v->languages[0][0], sizeof(v->languages[0]), SVC_MAX_LANGS);
	v->ndocuments =
	    split(d->documents, '\n', &v->documents[0][0], sizeof(v->documents[0]), SVC_MAX_DOCS);
	v->deadline_hours = d->deadline_hours;
	v->nlocations = 1;
	snprintf(v->locations[0].name, sizeof(v->locations[0].name), "%s", d->place);
	snprintf(v->locations[0].address, sizeof(v->locations[0].address), "%s", d->address);
	v->locations[0].located = 1;
	v->locations[0].lon = d->lon;
	v->locations[0].lat = d->lat;
	v->ncontacts = 1;
	snprintf(v->contacts[0].name, sizeof(v->contacts[0].name), "%s", d->contact);
	snprintf(v->contacts[0].title, sizeof(v->contacts[0].title), "%s", d->title);
	snprintf(v->contacts[0].phone, sizeof(v->contacts[0].phone), "%s", d->contact_phone);
	if ((v->jurisdiction_id = jur_id(st, p->jurisdiction, err)) < 0)
		return -1;
	demo_hours_json(d->hours, &hours);
	if (hours.failed) {
		buf_release(&hours);
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	}
	rc = hours_parse_text(buf_cstr(&hours), &v->hours, err);
	buf_release(&hours);
	/* The demo's texts keep the catalogue's rules, and say so here. */
	return rc || service_validate(v, NULL, err);
}

/* Qifan offers its laboratory; an officer approves it, naming the
 * department that answers requests for it. */
static int offer_approved(struct store *st, struct service *v, const char *department,
                          const struct user *qifan, const struct user *officer, struct err *err)
{
	struct organisation *o = malloc(sizeof(*o));
	int64_t dept = dept_id(st, department, err);
	int rc = -1;

	if (!o)
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (dept < 0)
		goto out;
	v->status = SVC_PENDING;
	v->offered_by = qifan->enterprise_id;
	v->created_by = qifan->id;
	if (store_service_put(st, v, 0, err) || store_organisation_get(st, v->provider_id, o, err))
		goto out;
	o->department_id = dept;
	if (store_organisation_put(st, o, o->version, err))
		goto out;
	v->status = SVC_ACTIVE;
	v->approved_by = officer->id;
	time_now_iso(v->approved_at);
	rc = store_service_put(st, v, v->version, err);
out:
	free(o);
	return rc;
}

/* A request of Qifan's for service id, made days_ago, taken through
 * `steps` by the officer. */
static int request(struct store *st, int64_t service, const struct user *qifan,
                   const struct user *officer, const char *text, int days_ago,
                   const enum case_state *steps, int nsteps, struct err *err)
{
	struct case_draft *d = calloc(1, sizeof(*d));
	struct service *v = malloc(sizeof(*v));
	struct case_actor who = {officer->id, officer->username};
	int64_t category;
	int rc = -1;

	if (!d || !v) {
		err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	if (store_service_get(st, service, v, err) ||
	    store_service_request_category(st, v->department_id, &category, err))
		goto out;
	d->c.kind = CASE_SERVICE_REQUEST;
	d->c.service_id = service;
	d->c.category_id = category;
	d->c.enterprise_id = qifan->enterprise_id;
	d->c.created_by = qifan->id;
	snprintf(d->c.channel, sizeof(d->c.channel), "enterprise"); /* qifan's own */
	snprintf(d->c.text, sizeof(d->c.text), "%s", text);
	time_iso(time(NULL) - (time_t)days_ago * 86400, d->c.created_at);
	if (case_draft_complete(st, d, err) ||
	    store_case_insert(st, &d->c, NULL, qifan->username, NULL, err))
		goto out;
	for (int i = 0; i < nsteps; i++)
		if (case_move(st, &d->c, steps[i], "", &who, 15, err))
			goto out;
	rc = 0;
out:
	free(d);
	free(v);
	return rc;
}

/* The row of the table with this name. */
static int service_named(const char *name_zh)
{
	for (int i = 0; i < DEMO_SERVICES; i++)
		if (strcmp(demo_services[i].name_zh, name_zh) == 0)
			return i;
	return 0;
}

int load_demo_services(struct store *st, struct err *err)
{
	int64_t orgs[DEMO_PROVIDERS], ids[DEMO_SERVICES];
	struct service *v = malloc(sizeof(*v));
	struct user qifan, officer;
	struct department_rec dd;
	int rc = -1;

	if (!v)
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	memset(&dd, 0, sizeof(dd));
	snprintf(dd.name, sizeof(dd.name), "%s", DEMO_DISTRICT_DEPT_ZH);
	snprintf(dd.name_en, sizeof(dd.name_en), "%s", DEMO_DISTRICT_DEPT_EN);
	if ((dd.jurisdiction_id = jur_id(st, DEMO_HOME_DISTRICT, err)) < 0 ||
	    store_department_add(st, &dd, err) || store_user_by_name(st, "qifan", &qifan, err) ||
	    store_user_by_name(st, "officer", &officer, err) || providers(st, &qifan, orgs, err))
		goto out;
	for (int i = 0; i < DEMO_SERVICES; i++) {
		if (service_of(st, i, orgs, v, err))
			goto out;
		if (demo_services[i].offered) {
			if (offer_approved(st, v,
			                   demo_providers[demo_services[i].provider].department,
			                   &qifan, &officer, err))
				goto out;
		} else {
			v->created_by = officer.id;
			if (store_service_put(st, v, 0, err))
				goto out;
		}
		ids[i] = v->id;
	}
	{
		/* The loan asked for a week ago, at work; the tests of new
		 * cable sheaths asked for yesterday, not yet taken in. */
		static const enum case_state handled[] = {CS_ACCEPTED, CS_ASSIGNED, CS_IN_PROGRESS};
		if (request(st, ids[service_named("科技型中小企业信用贷款")], &qifan, &officer,
		            "申请科技型中小企业信用贷款，用于光纤预制棒扩产项目的设备采购，额度约30"
		            "0万元。",
		            7, handled, 3, err) ||
		    request(st, ids[service_named("新材料分析测试")], &qifan, &officer,
		            "委托对两款低烟无卤护套料做热分析和拉伸试验，想了解检测周期和费用。", 1,
		            NULL, 0, err))
			goto out;
	}
	rc = 0;
out:
	free(v);
	return rc;
}
