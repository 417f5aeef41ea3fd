/*
 * Every write of a request runs on the writer thread (service/writer.h).
 *
 * The server authenticates a request that writes on its worker thread,
 * then hands it here instead of calling its handler: the request is
 * copied (its strings, its body, the values of its connection) into a
 * deferred write, whose job calls the handler on the writer's connection
 * inside the group's transaction, where the handler's own transaction is
 * a savepoint (store/group.h).  The handler's answer waits in the copy
 * until the group has committed; respond() then hands it to the worker
 * that sends it, or the group's error if the COMMIT failed, so that a
 * 2xx always means the write is on disk.
 *
 * As on a worker, a handler that fails has what it wrote in its own
 * transaction undone, and what it wrote outside one kept (a failed
 * sign-in counted, say) -- unless the database could not be written,
 * when nothing of the request is kept.  A handler that queues a deferred
 * write of its own (r->deferred) has it run at once, in the same group,
 * under a savepoint of its own: waiting for the writer on the writer
 * would never end.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api.h"

struct api_write {
	struct req_deferred d; /* first: the writer's job */
	struct req r;          /* the copy, and the handler's answer */
	handler_fn fn;
	int rc;                     /* the handler's */
	struct req_deferred *inner; /* a write the handler queued itself */
	struct req_values values;
	char *text; /* every string of the copy */
};

const char *req_values_find(const struct req_values *vals, int kind, const char *name)
{
	for (int i = 0; vals && i < vals->n; i++)
		if ((vals->v[i].kind & kind) && vals->v[i].name &&
		    strcasecmp(vals->v[i].name, name) == 0)
			return vals->v[i].value;
	return NULL;
}

/* Copies s to *at and moves *at past it; NULL stays NULL. */
static const char *put(char **at, const char *s, size_t n)
{
	char *p = *at;

	if (!s)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	*at = p + n + 1;
	return p;
}

static size_t len0(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

static int write_run(struct store *st, struct write_job *job)
{
	struct api_write *w = (struct api_write *)job;
	struct req *r = &w->r;

	r->db = st;
	w->rc = w->fn(r);
	/* As the server does after a handler on a worker. */
	if (w->rc)
		store_rollback(st);
	else
		store_read_end(st);
	if (w->rc && r->deferred) {
		r->deferred->release(r->deferred);
		r->deferred = NULL;
	}
	if (!w->rc && r->deferred) {
		struct req_deferred *in = r->deferred;

		r->deferred = NULL;
		w->inner = in;
		err_clear(&in->job.err);
		in->job.rc = store_savepoint(st, &in->job.err);
		if (!in->job.rc) {
			in->job.rc = in->job.run(st, &in->job);
			if (store_savepoint_end(st, in->job.rc != 0, &in->job.err))
				in->job.rc = -1;
		}
		if (in->job.rc && err_is_storage(in->job.err.kind)) {
			job->err = in->job.err;
			return -1;
		}
	}
	/* The database could not be written: nothing of the request stays. */
	if (w->rc && err_is_storage(r->err.kind)) {
		job->err = r->err;
		return -1;
	}
	return 0;
}

static void take_answer(struct req *to, struct req *from)
{
	to->status = from->status;
	buf_release(&to->out);
	to->out = from->out;
	memset(&from->out, 0, sizeof(from->out));
	to->content_type = from->content_type;
	memcpy(to->etag, from->etag, sizeof(to->etag));
	memcpy(to->location, from->location, sizeof(to->location));
	memcpy(to->set_cookie, from->set_cookie, sizeof(to->set_cookie));
	memcpy(to->disposition, from->disposition, sizeof(to->disposition));
	to->retry_after = from->retry_after;
}

static int write_respond(struct req_deferred *d, struct req *r)
{
	struct api_write *w = (struct api_write *)d;

	if (w->rc) {
		/* The handler refused: its answer, whatever became of the
		 * group. */
		take_answer(r, &w->r);
		r->err = w->r.err;
		return -1;
	}
	if (d->job.rc) {
		/* The group did not commit: the handler's success is void. */
		r->err = d->job.err;
		return -1;
	}
	if (w->inner)
		return w->inner->respond(w->inner, r);
	take_answer(r, &w->r);
	return 0;
}

static void write_release(struct req_deferred *d)
{
	struct api_write *w = (struct api_write *)d;

	if (w->inner)
		w->inner->release(w->inner);
	buf_release(&w->r.out);
	free(w->text);
	free(w);
}

struct req_deferred *api_write_prepare(const struct req *r, handler_fn fn)
{
	struct api_write *w = calloc(1, sizeof(*w));
	size_t n = 0;
	char *at;
	int nvals = r->values ? r->values->n : 0;

	if (!w)
		return NULL;
	n += len0(r->method) + len0(r->path) + len0(r->request_id) + len0(r->client_ip);
	for (int i = 0; i < r->nparams; i++)
		n += len0(r->params[i]);
	for (int i = 0; i < nvals; i++)
		n += len0(r->values->v[i].name) + len0(r->values->v[i].value);
	n += r->body_len + 1;
	/* The values' array first, aligned as malloc aligns, then the text. */
	w->text = malloc((size_t)nvals * sizeof(struct req_value) + n);
	if (!w->text) {
		free(w);
		return NULL;
	}
	w->r = *r;
	w->fn = fn;
	w->values.n = nvals;
	w->values.v = (struct req_value *)(void *)w->text;
	at = w->text + (size_t)nvals * sizeof(struct req_value);
	w->r.method = put(&at, r->method, len0(r->method) - 1);
	w->r.path = put(&at, r->path, len0(r->path) - 1);
	w->r.request_id = put(&at, r->request_id, len0(r->request_id) - 1);
	w->r.client_ip = put(&at, r->client_ip, len0(r->client_ip) - 1);
	for (int i = 0; i < r->nparams; i++)
		w->r.params[i] = put(&at, r->params[i], len0(r->params[i]) - 1);
	for (int i = 0; i < nvals; i++) {
		const struct req_value *v = &r->values->v[i];
		w->values.v[i].kind = v->kind;
		w->values.v[i].name = put(&at, v->name, len0(v->name) - 1);
		w->values.v[i].value = put(&at, v->value, len0(v->value) - 1);
	}
	w->r.body = r->body ? put(&at, r->body, r->body_len) : NULL;
	w->r.values = &w->values;
	w->r.conn = NULL;
	w->r.db = NULL;
	w->r.deferred = NULL;
	memset(&w->r.out, 0, sizeof(w->r.out));
	err_clear(&w->r.err);
	w->d.job.run = write_run;
	w->d.respond = write_respond;
	w->d.release = write_release;
	return &w->d;
}
