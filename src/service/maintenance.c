#include "maintenance.h"

#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../util/timeutil.h"
#include "case_service.h"
#include "case_steps.h"

int outbox_backoff(int attempts)
{
	int s = 10;

	for (int i = 1; i < attempts && s < 3600; i++)
		s *= 2;
	return s < 3600 ? s : 3600;
}

struct ids {
	int64_t v[200];
	int n;
};

static int collect(void *ctx, int64_t id)
{
	struct ids *x = ctx;

	if (x->n < 200)
		x->v[x->n++] = id;
	return x->n >= 200;
}

static const struct case_actor system_actor = {0, "system"};

/* The escalation round works by step (case_steps.c): dispatch, first
 * reply and resolution each escalated when past their deadline, parked
 * cases resumed on their review date. */
#define ESCALATE_BATCH 200

int maintenance_escalate(struct store *st, const char *now, struct err *err)
{
	return case_steps_escalate(st, now, ESCALATE_BATCH, err);
}

int maintenance_erase(struct store *st, const char *now, int erase_days, struct err *err)
{
	struct ids ids = {.n = 0};
	struct case_rec *c = malloc(sizeof(*c));
	char before[21], after[120];
	int done = 0;

	if (!c)
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	/* Closed more than erase_days before now. */
	if (case_deadline(now, -24 * erase_days, before)) {
		free(c);
		return err_set(err, ERR_INVALID, "invalid_time", NULL, "bad time '%s'", now);
	}
	if (store_cases_to_erase(st, before, 200, collect, &ids, err)) {
		free(c);
		return -1;
	}
	for (int i = 0; i < ids.n; i++) {
		struct audit_entry a;
		if (store_begin(st, err) || store_case_get(st, ids.v[i], c, err) ||
		    store_case_erase(st, c->id, now, err))
			goto fail;
		snprintf(after, sizeof(after), "{\"erased_at\":\"%s\",\"erase_days\":%d}", now,
		         erase_days);
		memset(&a, 0, sizeof(a));
		a.username = "system";
		a.action = "erase_personal_data";
		a.entity = "case";
		a.entity_id = c->id;
		a.after = after;
		a.request_id = "";
		if (store_audit_add(st, &a, err) ||
		    case_log_detail(st, c, &system_actor, "erase",
		                    "the resident's name, phone, e-mail and photos were erased",
		                    "{}", 0, err) ||
		    store_commit(st, err))
			goto fail;
		done++;
	}
	free(c);
	return done;
fail:
	store_rollback(st);
	free(c);
	return -1;
}

/* ---- delivery ---- */

struct pending {
	int64_t id;
	char event[41];
	char url[1001];
	char secret[129];
	int attempts;
	char *payload;
};

struct due {
	struct pending v[50];
	int n;
};

static int take_due(void *ctx, const struct outbox_rec *o)
{
	struct due *d = ctx;
	struct pending *p = &d->v[d->n];

	if (!(p->payload = strdup(o->payload ? o->payload : "{}")))
		return 1;
	p->id = o->id;
	p->attempts = o->attempts;
	snprintf(p->event, sizeof(p->event), "%s", o->event);
	snprintf(p->url, sizeof(p->url), "%s", o->url);
	snprintf(p->secret, sizeof(p->secret), "%s", o->secret);
	return ++d->n >= 50;
}

static size_t discard(char *ptr, size_t size, size_t n, void *ctx)
{
	(void)ptr;
	(void)ctx;
	return size * n;
}

/* POSTs one message; 0 when the receiver answered 2xx. */
static int post(const struct pending *p, int timeout, char *error, size_t n)
{
	CURL *h = curl_easy_init();
	struct curl_slist *hdr = NULL;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char line[200], hex[2 * sizeof(mac) + 1];
	long status = 0;
	CURLcode rc;

	if (!h) {
		snprintf(error, n, "cannot make an HTTP client");
		return -1;
	}
	/* The receiver checks the body came from us: HMAC-SHA-256 of the
	 * body with the webhook's secret. */
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)p->secret, strlen(p->secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)p->payload, strlen(p->payload));
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
	hdr = curl_slist_append(hdr, "Content-Type: application/json; charset=utf-8");
	snprintf(line, sizeof(line), "X-Qunyan-Event: %s", p->event);
	hdr = curl_slist_append(hdr, line);
	snprintf(line, sizeof(line), "X-Qunyan-Delivery: %lld", (long long)p->id);
	hdr = curl_slist_append(hdr, line);
	snprintf(line, sizeof(line), "X-Qunyan-Signature: sha256=%s", hex);
	hdr = curl_slist_append(hdr, line);
	curl_easy_setopt(h, CURLOPT_URL, p->url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, p->payload);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)timeout);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)timeout);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
	rc = curl_easy_perform(h);
	if (rc == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(hdr);
	curl_easy_cleanup(h);
	if (rc != CURLE_OK) {
		snprintf(error, n, "%s", curl_easy_strerror(rc));
		return -1;
	}
	if (status < 200 || status > 299) {
		snprintf(error, n, "the receiver answered %ld", status);
		return -1;
	}
	return 0;
}

int maintenance_deliver(struct store *st, const char *now, int timeout, struct err *err)
{
	struct due *d = calloc(1, sizeof(*d));
	int done = 0, rc = 0;

	if (!d)
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	/* Read, then send with no transaction open: a slow receiver must
	 * not hold the database. */
	if (store_outbox_due(st, now, 50, take_due, d, err))
		rc = -1;
	for (int i = 0; i < d->n && !rc; i++) {
		char error[256] = "", at[21], next[21];
		struct pending *p = &d->v[i];
		int ok = post(p, timeout, error, sizeof(error)) == 0;
		time_now_iso(at);
		if (!ok)
			time_iso(time(NULL) + outbox_backoff(p->attempts + 1), next);
		if (store_outbox_done(st, p->id, ok ? at : NULL, ok ? NULL : next, error, err))
			rc = -1;
		done += ok;
	}
	for (int i = 0; i < d->n; i++)
		free(d->v[i].payload);
	free(d);
	return rc ? -1 : done;
}

/* ---- the threads ---- */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static int stopping, kicked, running;
static pthread_t rounds_thread, delivery_thread;
static const struct config *conf;

static int wait_for(int seconds, int *flag)
{
	struct timespec until;
	int stop;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += seconds;
	pthread_mutex_lock(&lock);
	while (!stopping && !(flag && *flag))
		if (pthread_cond_timedwait(&wake, &lock, &until))
			break;
	if (flag)
		*flag = 0;
	stop = stopping;
	pthread_mutex_unlock(&lock);
	return stop;
}

static void report(const char *what, const struct err *e)
{
	fprintf(stderr, "qunyan: %s failed: %s\n", what, e->message);
}

static void *rounds_main(void *arg)
{
	struct store *st;
	struct err e;

	(void)arg;
	err_clear(&e);
	if (store_open(&st, conf->db, 0, &e)) {
		report("opening the database for maintenance", &e);
		return NULL;
	}
	do {
		char now[21];
		int mine;
		/* Servers sharing a database take turns: the round of one
		 * that holds the lock is everyone's. */
		err_clear(&e);
		if ((mine = store_job_lock(st, STORE_JOB_ROUNDS, &e)) < 0)
			report("taking the maintenance's turn", &e);
		if (mine <= 0)
			continue;
		time_now_iso(now);
		err_clear(&e);
		if (maintenance_escalate(st, now, &e) < 0)
			report("escalating overdue cases", &e);
		err_clear(&e);
		if (maintenance_erase(st, now, conf->erase_days, &e) < 0)
			report("erasing personal data", &e);
		store_job_unlock(st, STORE_JOB_ROUNDS);
		maintenance_kick();
	} while (!wait_for(conf->maintenance_seconds, NULL));
	store_close(st);
	return NULL;
}

static void *delivery_main(void *arg)
{
	struct store *st;
	struct err e;

	(void)arg;
	err_clear(&e);
	if (store_open(&st, conf->db, 0, &e)) {
		report("opening the database for webhooks", &e);
		return NULL;
	}
	do {
		char now[21];
		int n;
		int mine;
		/* One server delivers at a time, so that no webhook is sent
		 * twice by two servers reading the same due entries. */
		err_clear(&e);
		if ((mine = store_job_lock(st, STORE_JOB_DELIVERY, &e)) < 0)
			report("taking the deliveries' turn", &e);
		if (mine <= 0)
			continue;
		do {
			time_now_iso(now);
			err_clear(&e);
			n = maintenance_deliver(st, now, conf->webhook_timeout, &e);
			if (n < 0)
				report("delivering webhooks", &e);
		} while (n > 0 && !stopping);
		store_job_unlock(st, STORE_JOB_DELIVERY);
	} while (!wait_for(1, &kicked));
	store_close(st);
	return NULL;
}

int maintenance_start(const struct config *cfg, struct err *err)
{
	conf = cfg;
	stopping = 0;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (pthread_create(&rounds_thread, NULL, rounds_main, NULL))
		return err_set(err, ERR_INTERNAL, "no_thread", NULL, "cannot start maintenance");
	if (pthread_create(&delivery_thread, NULL, delivery_main, NULL)) {
		maintenance_stop();
		return err_set(err, ERR_INTERNAL, "no_thread", NULL, "cannot start delivery");
	}
	running = 2;
	return 0;
}

void maintenance_stop(void)
{
	pthread_mutex_lock(&lock);
	stopping = 1;
	pthread_cond_broadcast(&wake);
	pthread_mutex_unlock(&lock);
	pthread_join(rounds_thread, NULL);
	if (running == 2)
		pthread_join(delivery_thread, NULL);
	running = 0;
	curl_global_cleanup();
}

void maintenance_kick(void)
{
	pthread_mutex_lock(&lock);
	kicked = 1;
	pthread_cond_broadcast(&wake);
	pthread_mutex_unlock(&lock);
}
