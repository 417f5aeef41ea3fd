/*
 * The HTTP server: libmicrohttpd with a pool of worker threads on epoll.
 *
 * A request passes through on_request() several times: once when its
 * headers are in, once per chunk of body, and once at the end, when it is
 * authenticated, routed and handed to its handler.  Every limit is set
 * explicitly because libmicrohttpd's defaults have no timeout and no
 * per-address limit.
 */
#include "server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../service/case_follow.h"
#include "../service/principal_cache.h"
#include "../service/case_service.h"
#include "../service/maintenance.h"
#include "../service/placement.h"
#include "../service/search_index.h"
#include "../service/writer.h"
#include "../util/secret.h"
#include "../util/timeutil.h"
#include "assets.h"
#include "conditional.h"
#include "encoding.h"
#include "guard.h"
#include "httpdate.h"
#include "metrics.h"
#include "ratelimit.h"
#include "router.h"
#include "rxscan.h"

#define SESSION_COOKIE "qy_session"

struct conn_ctx {
	int64_t start_us;
	struct buf body;
	int refused;     /* a response was queued before the body was read */
	size_t overflow; /* bytes received beyond the body limit */
	int route;
	int status;
	size_t bytes;
	char request_id[33];
	char user[65];
	char allow[64];  /* for 405 */
	int retry_after; /* seconds, for a 503 of storage out of reach */
	char error[40];  /* the error code answered, for the access log */
	/* Open311 ("json" or "xml"): errors in its form too. */
	const char *format;
	/* A write waiting for the writer, with the caller it answers. */
	struct req_deferred *deferred;
	struct principal who;
};

static const struct config *cfg;
/* host:port the server listens on, the port the one bound (server.h). */
static char bound_listen[64];

const char *server_listen_bound(void)
{
	return bound_listen;
}
/* The routes and hooks of the API being served (server_run). */
static const struct http_app *app;
static FILE *access_log;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int in_flight;

/* One database connection per worker thread, opened on first use and
 * listed here so that shutdown can close them all. */
static _Thread_local struct store *thread_db;
static pthread_mutex_t dbs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct store **dbs;
static size_t ndbs;

static struct store *worker_db(struct err *err)
{
	struct store **grown;

	if (thread_db)
		return thread_db;
	if (store_open(&thread_db, cfg->db, 0, err))
		return NULL;
	pthread_mutex_lock(&dbs_lock);
	grown = realloc(dbs, (ndbs + 1) * sizeof(*dbs));
	if (grown) {
		dbs = grown;
		dbs[ndbs++] = thread_db;
	}
	pthread_mutex_unlock(&dbs_lock);
	return thread_db;
}

/* ------------------------------------------------------------------ */
/* What handlers may ask of the connection                              */

/* A handler on the writer thread reads the values copied off its
 * suspended connection (r->values), never the connection itself. */
const char *req_query(struct req *r, const char *name)
{
	const char *v = r->values
	                    ? req_values_find(r->values, REQ_QUERY, name)
	                    : MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
	/* An empty parameter counts as not given. */
	return v && *v ? v : NULL;
}

const char *req_header(struct req *r, const char *name)
{
	if (r->values)
		return req_values_find(r->values, REQ_HEADER, name);
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *req_cookie(struct req *r, const char *name)
{
	if (r->values)
		return req_values_find(r->values, REQ_COOKIE, name);
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

/* Every field line of a request header, joined with ", " into the one
 * list they make (RFC 9110 §5.3). */
struct header_join {
	const char *name;
	struct buf *out;
	int lines;
};

static enum MHD_Result join_line(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *value)
{
	struct header_join *j = cls;

	(void)kind;
	if (key && strcasecmp(key, j->name) == 0) {
		if (j->lines++)
			buf_adds(j->out, ", ");
		buf_adds(j->out, value ? value : "");
	}
	return MHD_YES;
}

static int header_list(struct MHD_Connection *c, const char *name, struct buf *out)
{
	struct header_join j = {name, out, 0};

	MHD_get_connection_values(c, MHD_HEADER_KIND, join_line, &j);
	return j.lines;
}

int req_header_list(struct req *r, const char *name, struct buf *out)
{
	struct header_join j = {name, out, 0};

	if (!r->values)
		return header_list(r->conn, name, out);
	for (int i = 0; i < r->values->n; i++)
		if (r->values->v[i].kind == REQ_HEADER)
			join_line(&j, MHD_HEADER_KIND, r->values->v[i].name, r->values->v[i].value);
	return j.lines;
}

/* ------------------------------------------------------------------ */
/* Responses                                                            */

/*
 * Caching.  Every answer of the API, /healthz and /metrics says
 * "no-store", whoever asks and whatever the type (JSON, GeoJSON, CSV,
 * XLSX, photos, errors): a signed-in caller's answers hold what its role
 * may see and must stay out of shared caches and off the disk, and the
 * public ones change with every case and carry no validator to
 * revalidate with, so storing them would buy nothing.  The console's
 * files are the same for everyone and carry an ETag: "no-cache" keeps
 * them but asks each time, so a new build is picked up at once.
 */
#define CACHE_API    "no-store"
#define CACHE_STATIC "no-cache"

#define CONSOLE_CSP                                                                                \
	"default-src 'self'; img-src 'self' data:; style-src 'self'; "                             \
	"frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

static void common_headers(struct MHD_Response *resp, const char *request_id)
{
	MHD_add_response_header(resp, "X-Request-Id", request_id);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
}

static void add_header(void *resp, const char *name, const char *value)
{
	MHD_add_response_header(resp, name, value);
}

static int client_takes_gzip(struct MHD_Connection *c)
{
	struct buf field = BUF_INIT;
	int takes = header_list(c, "Accept-Encoding", &field) > 0 && !field.failed &&
	            enc_accepts_gzip(buf_cstr(&field));

	buf_release(&field);
	return takes;
}

/*
 * How an answer's body may go out.  `varies` when its type compresses,
 * so that whether it is compressed depends on Accept-Encoding (Vary);
 * `gzip` when this answer is to be gzip-coded: the body is larger than
 * ENC_MIN_SIZE and the client takes gzip.
 */
struct coding {
	int varies;
	int gzip;
};

static struct coding choose_coding(struct MHD_Connection *c, const char *type, size_t len)
{
	struct coding k = {0, 0};

	k.varies = enc_compressible(type);
	k.gzip = k.varies && len > ENC_MIN_SIZE && client_takes_gzip(c);
	return k;
}

/*
 * The current tags of an answer whose identity tag is `etag`, the one it
 * is sent with first: when it is to be gzip-coded, the gzip form, then
 * the identity one, which a client that got the answer uncompressed
 * holds and which names the same content.  Returns the count; when the
 * gzip form cannot be written the answer is not to be coded (k->gzip
 * cleared), so that a tag never stands for two representations.
 */
static int current_tags(const char *etag, struct coding *k, char coded[], size_t n,
                        const char *tags[2])
{
	if (k->gzip && etag_coded(etag, ETAG_GZIP_SUFFIX, coded, n))
		k->gzip = 0;
	if (k->gzip) {
		tags[0] = coded;
		tags[1] = etag;
		return 2;
	}
	tags[0] = etag;
	return 1;
}

/*
 * For a GET or HEAD: the tag of the representation the client holds when
 * its If-None-Match names a current one (weak comparison, lists, "*"),
 * NULL otherwise.  A field that is not a list of entity-tags is ignored,
 * as RFC 9110 allows: the full answer is always a right one, a 304 only
 * when the client named what it has.
 */
static const char *not_modified_tag(struct MHD_Connection *c, const char *method,
                                    const char *const *tags, int ntags)
{
	struct buf field = BUF_INIT;
	int which = -1;
	enum cond m = COND_ABSENT;

	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return NULL;
	if (header_list(c, "If-None-Match", &field) > 0 && !field.failed)
		m = cond_if_none_match(buf_cstr(&field), tags, ntags, &which);
	buf_release(&field);
	return m == COND_MATCH ? tags[which] : NULL;
}

static ssize_t no_body(void *cls, uint64_t pos, char *buf, size_t max)
{
	(void)cls;
	(void)pos;
	(void)buf;
	(void)max;
	return MHD_CONTENT_READER_END_OF_STREAM;
}

/*
 * A 304 Not Modified: the headers a 200 would have carried for a cache
 * to update its copy with (ETag, Cache-Control, Vary; RFC 9110 §15.4.5),
 * with the tag of the copy the client holds, and no body.
 *
 * A response made from a buffer would give the 304 "Content-Length: 0",
 * which is wrong: in a 304 that header may only repeat the length of the
 * 200's content (§8.6).  Before libmicrohttpd 0.9.77 (Debian 12 has
 * 0.9.75) the one response without Content-Length is one of unknown
 * size; and so that HTTP/1.1 does not announce "Transfer-Encoding:
 * chunked" for it instead, it is marked HTTP/1.0-compatible, which ends
 * the connection after the 304 ("Connection: close").  Later versions
 * have a body-less response for this.
 */
static struct MHD_Response *not_modified_response(void)
{
#if MHD_VERSION >= 0x00097701
	return MHD_create_response_empty(MHD_RF_HEAD_ONLY_RESPONSE);
#else
	struct MHD_Response *resp =
	    MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64, no_body, NULL, NULL);
	enum MHD_ResponseFlags flags = MHD_RF_HTTP_1_0_COMPATIBLE_STRICT;

	if (resp && MHD_set_response_options(resp, flags, MHD_RO_END) != MHD_YES) {
		MHD_destroy_response(resp);
		return NULL;
	}
	return resp;
#endif
}

static enum MHD_Result send_not_modified(struct MHD_Connection *c, struct conn_ctx *x,
                                         const char *etag, const char *cache, int varies,
                                         const char *csp)
{
	struct MHD_Response *resp = not_modified_response();
	enum MHD_Result ret;

	if (!resp)
		return MHD_NO;
	common_headers(resp, x->request_id);
	MHD_add_response_header(resp, "ETag", etag);
	MHD_add_response_header(resp, "Cache-Control", cache);
	if (varies)
		MHD_add_response_header(resp, "Vary", "Accept-Encoding");
	if (csp)
		MHD_add_response_header(resp, "Content-Security-Policy", csp);
	x->status = 304;
	x->bytes = 0;
	ret = MHD_queue_response(c, MHD_HTTP_NOT_MODIFIED, resp);
	MHD_destroy_response(resp);
	return ret;
}

/*
 * Sends an answer of the API, /healthz or /metrics.  A body whose type
 * compresses is gzip-coded when it is large enough and the client takes
 * gzip; its ETag then gets the gzip suffix, since the coded bytes are
 * another representation (RFC 9110 §8.8.3).
 */
static enum MHD_Result send_buf(struct MHD_Connection *c, struct conn_ctx *x, int status,
                                const char *type, struct buf *body, struct req *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	struct coding k = choose_coding(c, type, body->len);
	char coded[80];
	const char *tags[2] = {NULL, NULL};
	size_t len;
	char *data;

	if (r && r->etag[0])
		current_tags(r->etag, &k, coded, sizeof(coded), tags);
	if (k.gzip) {
		size_t zlen;
		unsigned char *z = enc_gzip(body->s, body->len, 6, &zlen);
		/* Sent as it is when gzip fails or does not make it smaller. */
		if (z && zlen < body->len) {
			buf_release(body);
			data = (char *)z;
			len = zlen;
		} else {
			free(z);
			k.gzip = 0;
			tags[0] = tags[1];
			data = buf_detach(body, &len);
		}
	} else {
		data = buf_detach(body, &len);
	}
	resp = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(data);
		return MHD_NO;
	}
	common_headers(resp, x->request_id);
	MHD_add_response_header(resp, "Content-Type", type);
	if (k.gzip)
		MHD_add_response_header(resp, "Content-Encoding", "gzip");
	if (k.varies)
		MHD_add_response_header(resp, "Vary", "Accept-Encoding");
	if (r) {
		if (tags[0])
			MHD_add_response_header(resp, "ETag", tags[0]);
		if (r->last_modified) {
			char date[30];
			http_date_format(r->last_modified, date);
			MHD_add_response_header(resp, "Last-Modified", date);
		}
		if (r->location[0])
			MHD_add_response_header(resp, "Location", r->location);
		if (r->disposition[0])
			MHD_add_response_header(resp, "Content-Disposition", r->disposition);
		if (r->retry_after > 0) {
			char v[16];
			snprintf(v, sizeof(v), "%d", r->retry_after);
			MHD_add_response_header(resp, "Retry-After", v);
		}
		for (int i = 0; i < 2; i++)
			if (r->set_cookie[i][0])
				MHD_add_response_header(resp, "Set-Cookie", r->set_cookie[i]);
	}
	if (x->retry_after > 0 && !(r && r->retry_after > 0)) {
		char v[16];
		snprintf(v, sizeof(v), "%d", x->retry_after);
		MHD_add_response_header(resp, "Retry-After", v);
	}
	MHD_add_response_header(resp, "Cache-Control", CACHE_API);
	/* A page (a card's link) is held to the console's policy. */
	if (strncmp(type, "text/html", 9) == 0)
		MHD_add_response_header(resp, "Content-Security-Policy", CONSOLE_CSP);
	if (x->allow[0])
		MHD_add_response_header(resp, "Allow", x->allow);
	if (x->format)
		app->open311_cors(cfg->open311_origins,
		                  MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin"), 0,
		                  add_header, resp);
	x->status = status;
	x->bytes = len;
	ret = MHD_queue_response(c, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void render_error(struct buf *out, const struct err *e, const char *request_id)
{
	buf_adds(out, "{\"error\":{\"code\":");
	buf_json_str(out, e->code[0] ? e->code : "error");
	buf_adds(out, ",\"message\":");
	buf_json_str(out, e->message);
	if (e->field[0]) {
		buf_adds(out, ",\"field\":");
		buf_json_str(out, e->field);
	}
	if (e->line) {
		buf_printf(out, ",\"line\":%d,\"column\":%d", e->line, e->column);
	}
	/* Where on the map the error is: a map marks the place. */
	if (e->has_place)
		buf_printf(out, ",\"detail\":{\"lon\":%.7f,\"lat\":%.7f}", e->lon, e->lat);
	if (e->nfields) {
		buf_adds(out, ",\"errors\":[");
		for (int i = 0; i < e->nfields; i++) {
			buf_adds(out, i ? ",{\"field\":" : "{\"field\":");
			buf_json_str(out, e->fields[i].field);
			buf_adds(out, ",\"code\":");
			buf_json_str(out, e->fields[i].code);
			buf_adds(out, ",\"message\":");
			buf_json_str(out, e->fields[i].message);
			buf_addc(out, '}');
		}
		buf_addc(out, ']');
	}
	buf_adds(out, "},\"request_id\":");
	buf_json_str(out, request_id);
	buf_adds(out, "}\n");
}

static enum MHD_Result send_error(struct MHD_Connection *c, struct conn_ctx *x, const struct err *e,
                                  struct req *r)
{
	struct buf out = BUF_INIT;
	struct err shown;

	snprintf(x->error, sizeof(x->error), "%s", e->code[0] ? e->code : "error");
	/* A server-side failure's detail (SQLite's words, table names) goes
	 * to the log under the request id, not to the client. */
	if (e->kind == ERR_INTERNAL || e->kind == ERR_UNAVAILABLE) {
		fprintf(stderr, "qunyan: request %s failed: %s\n", x->request_id, e->message);
		err_clear(&shown);
		err_set(&shown, e->kind, e->code, NULL,
		        "the server could not answer; the request id is in its log");
		e = &shown;
	} else if (err_is_storage(e->kind)) {
		/* The database cannot be written: told to the client as it is
		 * (its message names the cause, not SQLite's internals), and to
		 * the log for the one who can free space or fix the mount. */
		fprintf(stderr, "qunyan: request %s: %s\n", x->request_id, e->message);
		/* Storage that cannot be reached now may be in a moment
		 * (also when no request was made yet: the worker's own
		 * connection failed). */
		if (e->kind == ERR_STORAGE)
			x->retry_after = 2;
	}
	if (x->format) {
		int status = app->open311_error(&out, x->format, e);
		return send_buf(c, x, status, app->open311_content_type(x->format), &out, r);
	}
	render_error(&out, e, x->request_id);
	return send_buf(c, x, err_http_status(e->kind), "application/json; charset=utf-8", &out, r);
}

static enum MHD_Result fail(struct MHD_Connection *c, struct conn_ctx *x, enum err_kind kind,
                            const char *code, const char *message)
{
	struct err e;

	err_clear(&e);
	err_set(&e, kind, code, NULL, "%s", message);
	return send_error(c, x, &e, NULL);
}

/* ------------------------------------------------------------------ */
/* Authentication                                                       */

/*
 * Finds who is calling: an API key in "Authorization: Bearer", or a
 * session cookie.  A bad key is an error (a machine client should hear of
 * it); a stale cookie just leaves the caller anonymous, as a browser
 * with an old cookie should see the sign-in page, not an error.
 */
static int authenticate(struct req *r)
{
	const char *auth = req_header(r, "Authorization");
	const char *cookie = req_cookie(r, SESSION_COOKIE);
	char hash[65];

	if (auth) {
		uint64_t gen;
		int64_t jur_version;

		if (strncasecmp(auth, "Bearer ", 7) != 0)
			return err_set(&r->err, ERR_UNAUTHORIZED, "bad_authorization", NULL,
			               "Authorization must be 'Bearer <api key>'");
		secret_token_hash(auth + 7, hash);
		/* On a shared database, a holder read a moment ago and not
		 * changed since (principal_cache.h). */
		if (principal_cache_get(hash, &r->who, &jur_version)) {
			store_jurisdiction_hint_set(r->db, jur_version);
			return 0;
		}
		gen = principal_cache_begin();
		if (store_key_get(r->db, hash, &r->who, &r->err))
			return -1;
		principal_cache_put(gen, hash, &r->who, store_jurisdiction_hint(r->db));
		return 0;
	}
	if (cookie && strlen(cookie) == 64) {
		struct err ignored;
		err_clear(&ignored);
		secret_token_hash(cookie, hash);
		if (store_session_get(r->db, hash, &r->who, r->csrf, &ignored)) {
			memset(&r->who, 0, sizeof(r->who));
			r->csrf[0] = '\0';
			if (ignored.kind == ERR_INTERNAL)
				r->err = ignored;
			return ignored.kind == ERR_INTERNAL ? -1 : 0;
		}
	}
	return 0;
}

static int is_unsafe(const char *method)
{
	return strcmp(method, "GET") && strcmp(method, "HEAD") && strcmp(method, "OPTIONS");
}

/* ------------------------------------------------------------------ */
/* Dispatch                                                             */

/* The writer has finished a job: wake its connection, whose handler
 * then runs again and answers (serve_deferred). */
static void job_done(struct write_job *job)
{
	struct req_deferred *d = (struct req_deferred *)job;

	MHD_resume_connection(d->conn);
}

/*
 * The client's address: the peer's, or, when the peer is the trusted
 * reverse proxy (--trusted-proxy), the address its X-Real-IP names, so
 * that limits per client and the logs see the client and not nginx.  A
 * header that is not an address is ignored (the peer's stands).
 */
static const struct sockaddr *client_addr(struct MHD_Connection *c, struct sockaddr_storage *buf)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;
	char peer[INET6_ADDRSTRLEN] = "";
	const char *real;

	if (!sa || !cfg->trusted_proxy[0])
		return sa;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, peer, sizeof(peer));
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, peer,
		          sizeof(peer));
	if (strcmp(peer, cfg->trusted_proxy) != 0 ||
	    !(real = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Real-IP")))
		return sa;
	memset(buf, 0, sizeof(*buf));
	if (inet_pton(AF_INET, real, &((struct sockaddr_in *)buf)->sin_addr) == 1) {
		buf->ss_family = AF_INET;
		return (const struct sockaddr *)buf;
	}
	if (inet_pton(AF_INET6, real, &((struct sockaddr_in6 *)buf)->sin6_addr) == 1) {
		buf->ss_family = AF_INET6;
		return (const struct sockaddr *)buf;
	}
	return sa;
}

static void req_init(struct req *r, struct MHD_Connection *c, struct conn_ctx *x,
                     const char *method, const char *url)
{
	static _Thread_local char ip[INET6_ADDRSTRLEN];
	struct sockaddr_storage real;
	const struct sockaddr *sa = client_addr(c, &real);

	memset(r, 0, sizeof(*r));
	r->method = method;
	r->path = url;
	r->body = x->body.s;
	r->body_len = x->body.len;
	r->request_id = x->request_id;
	r->cfg = cfg;
	r->conn = c;
	r->status = 200;
	r->content_type = "application/json; charset=utf-8";
	r->format = x->format;
	ip[0] = '\0';
	if (sa) {
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, ip,
			          sizeof(ip));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, ip,
			          sizeof(ip));
	}
	r->client_ip = ip;
}

static enum MHD_Result send_result(struct MHD_Connection *c, struct conn_ctx *x, struct req *r,
                                   int rc)
{
	enum MHD_Result ret;

	/* An answer that ran out of memory while it was written is cut short
	 * somewhere: a 200 would hand the client a truncated list or file as
	 * if it were whole. */
	if (!rc && r->out.failed) {
		rc = -1;
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL,
		        "the answer did not fit in memory; ask for less (a narrower "
		        "jurisdiction, a date range, a page)");
	}
	if (rc) {
		if (r->err.kind == ERR_NONE)
			err_set(&r->err, ERR_INTERNAL, "internal", NULL, "internal error");
		buf_release(&r->out);
		return send_error(c, x, &r->err, r);
	}
	if (r->format && strncmp(r->content_type, "application/json", 16) == 0)
		r->content_type = app->open311_content_type(r->format);
	/* A GET of a resource with an ETag that the client already holds:
	 * 304 instead of the body. */
	if (r->status == 200 && r->etag[0]) {
		struct coding k = choose_coding(c, r->content_type, r->out.len);
		char coded[80];
		const char *tags[2], *held;
		int n = current_tags(r->etag, &k, coded, sizeof(coded), tags);

		if ((held = not_modified_tag(c, r->method, tags, n))) {
			buf_release(&r->out);
			return send_not_modified(c, x, held, CACHE_API, k.varies, NULL);
		}
		/* If-Modified-Since counts only without If-None-Match (RFC
		 * 9110 §13.1.3), and only for an answer that says when it
		 * last changed (the bulletin's feeds). */
		if (r->last_modified && !strcmp(r->method, "GET") &&
		    !MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match")) {
			const char *ims =
			    MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-Modified-Since");
			time_t since;
			if (ims && !http_date_parse(ims, &since) && r->last_modified <= since) {
				buf_release(&r->out);
				return send_not_modified(c, x, tags[0], CACHE_API, k.varies, NULL);
			}
		}
	}
	ret = send_buf(c, x, r->status, r->content_type, &r->out, r);
	buf_release(&r->out);
	return ret;
}

/* The second half of a queued write: its answer, on a worker thread.
 * The answer may point into the write (its content type): released once
 * sent. */
static enum MHD_Result serve_deferred(struct MHD_Connection *c, struct conn_ctx *x,
                                      const char *method, const char *url)
{
	struct req_deferred *d = x->deferred;
	struct req r;
	struct err dberr;
	enum MHD_Result ret;
	int rc;

	x->deferred = NULL;
	req_init(&r, c, x, method, url);
	r.who = x->who;
	err_clear(&dberr);
	if (!(r.db = worker_db(&dberr))) {
		d->release(d);
		return send_error(c, x, &dberr, NULL);
	}
	rc = d->respond(d, &r);
	/* What the answer's reads learnt (a version) is not the next
	 * request's. */
	store_read_end(r.db);
	ret = send_result(c, x, &r, rc);
	d->release(d);
	return ret;
}

/* Hands a deferred write to the writer.  The connection is suspended
 * before the job is queued, so that the writer cannot resume a
 * connection that is not yet suspended. */
static enum MHD_Result defer_write(struct MHD_Connection *c, struct conn_ctx *x, struct req *r,
                                   struct req_deferred *d)
{
	x->deferred = d;
	x->who = r->who;
	d->conn = c;
	d->job.done = job_done;
	buf_release(&r->out);
	MHD_suspend_connection(c);
	writer_submit(&d->job);
	return MHD_YES;
}

/*
 * The handlers that run on their worker thread although they write:
 *
 * - the intakes (the console's, the public form's, Open311's) validate,
 *   route and look for duplicates on the worker and queue their one
 *   insert themselves (req_deferred), so the writer does only that;
 * - sign-in and the password changes hash with argon2id, about 100 ms
 *   of CPU (docs/DESIGN.md), which on the writer would hold up every
 *   write queued behind it.  Their writes (a failed attempt counted, a
 *   session, a password) are a few small rows in a transaction of their
 *   own on the worker's connection, serialised with the writer by
 *   SQLite's lock; moving only them to the writer needs the handlers
 *   split in two (src/api/session.c, users.c), which is left for later.
 *
 * The route table marks them with ROUTE_ON_WORKER.
 */
static int writes_on_worker(const struct route *route)
{
	return (route->flags & ROUTE_ON_WORKER) != 0;
}

struct values_copy {
	struct req_values vals;
	int cap, failed;
};

static enum MHD_Result copy_value(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value)
{
	struct values_copy *vc = cls;

	if (!key)
		return MHD_YES;
	if (vc->vals.n == vc->cap) {
		int ncap = vc->cap ? 2 * vc->cap : 32;
		struct req_value *grown = realloc(vc->vals.v, (size_t)ncap * sizeof(*grown));
		if (!grown) {
			vc->failed = 1;
			return MHD_NO;
		}
		vc->vals.v = grown;
		vc->cap = ncap;
	}
	vc->vals.v[vc->vals.n++] = (struct req_value){kind == MHD_GET_ARGUMENT_KIND ? REQ_QUERY
	                                              : kind == MHD_HEADER_KIND     ? REQ_HEADER
	                                                                            : REQ_COOKIE,
	                                              key, value};
	return MHD_YES;
}

/* A request that writes: authenticated here, handled on the writer
 * (src/api/write.c) with a copy of everything it reads of the request,
 * answered here once the writer's group is on disk (serve_deferred). */
static enum MHD_Result queue_write(struct MHD_Connection *c, struct conn_ctx *x, struct req *r,
                                   handler_fn fn)
{
	struct values_copy vc;
	struct req_deferred *d = NULL;

	memset(&vc, 0, sizeof(vc));
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND | MHD_HEADER_KIND | MHD_COOKIE_KIND,
	                          copy_value, &vc);
	if (!vc.failed) {
		r->values = &vc.vals;
		d = app->write_prepare(r, fn);
		r->values = NULL;
	}
	free(vc.vals.v);
	if (!d) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		return send_result(c, x, r, -1);
	}
	return defer_write(c, x, r, d);
}

static enum MHD_Result serve_api(struct MHD_Connection *c, struct conn_ctx *x, const char *method,
                                 const char *url, int open311)
{
	struct req r;
	const char *params[REQ_MAX_PARAMS];
	const struct route *routes = open311 ? app->open311_routes : app->routes;
	int nroutes = open311 ? app->nopen311_routes : app->nroutes;
	char *storage, allow[64], path[256];
	int index = -1, nparams = 0, rc;
	enum route_match m;
	struct err dberr;

	if (x->deferred)
		return serve_deferred(c, x, method, url);
	if (open311) {
		/* The format is the path's suffix; XML, the one every client
		 * must read, answers a path without one. */
		x->format = "xml";
		if (app->open311_split(url, path, sizeof(path), &x->format))
			return fail(c, x, ERR_NOT_FOUND, "no_such_endpoint",
			            "no such resource; Open311 paths end in .json or .xml");
		url = path;
	}
	storage = malloc(strlen(url) + 1);
	if (!storage)
		return MHD_NO;
	m = router_match(routes, nroutes, method, url, &index, params, &nparams, storage, allow,
	                 sizeof(allow));
	if (m != ROUTE_FOUND) {
		free(storage);
		x->route = METRIC_ROUTE_NONE;
		if (m == ROUTE_WRONG_METHOD) {
			char msg[160];
			snprintf(x->allow, sizeof(x->allow), "%s", allow);
			snprintf(msg, sizeof(msg), "%s is not allowed here; allowed: %s", method,
			         allow);
			return fail(c, x, ERR_METHOD, "method_not_allowed", msg);
		}
		return fail(c, x, ERR_NOT_FOUND, "no_such_endpoint", "no such endpoint");
	}
	x->route = open311 ? app->nroutes + index : index;

	req_init(&r, c, x, method, url);
	memcpy(r.params, params, sizeof(params));
	r.nparams = nparams;
	err_clear(&dberr);
	if (!(r.db = worker_db(&dberr))) {
		free(storage);
		return send_error(c, x, &dberr, NULL);
	}
	/* A read-only request reads at one moment, under one shared lock. */
	if (!is_unsafe(method) && store_read_begin(r.db, &r.err))
		goto error;
	if (authenticate(&r))
		goto error;
	snprintf(x->user, sizeof(x->user), "%s", r.who.username);
	if (!(routes[index].flags & ROUTE_PUBLIC) && r.who.role == ROLE_PUBLIC) {
		app->need_login(&r);
		goto error;
	}
	/* Cookies ride along on cross-site requests; the token, which a
	 * foreign page cannot read, proves the request came from our own
	 * console.  SameSite=Strict is the second line. */
	if (is_unsafe(method) && !r.who.via_api_key && r.who.role != ROLE_PUBLIC &&
	    !(routes[index].flags & ROUTE_NO_CSRF)) {
		const char *token = req_header(&r, "X-CSRF-Token");
		if (!token || !r.csrf[0] || !secret_equal(token, r.csrf)) {
			err_set(&r.err, ERR_FORBIDDEN, "csrf_required", NULL,
			        "a state-changing request needs the X-CSRF-Token header of the "
			        "session");
			goto error;
		}
	}
	/* Every write runs on the writer thread; the strings the copy needs
	 * (the path, its parameters) are copied before they are freed. */
	if (is_unsafe(method) && !writes_on_worker(&routes[index])) {
		enum MHD_Result ret;
		/* What the worker's store learnt for this request is not the
		 * next one's. */
		store_read_end(r.db);
		ret = queue_write(c, x, &r, routes[index].fn);
		free(storage);
		return ret;
	}
	if (routes[index].fn(&r)) {
		store_rollback(r.db);
		goto error;
	}
	store_read_end(r.db);
	free(storage);
	if (r.deferred)
		return defer_write(c, x, &r, r.deferred);
	return send_result(c, x, &r, 0);
error:
	store_read_end(r.db);
	free(storage);
	/* A write on this worker (sign-in's) that could not be made. */
	writer_note_failure(&r.err);
	rc = -1;
	return send_result(c, x, &r, rc);
}

/* The console's files gzip-coded, made once at start (index as in
 * qy_assets; NULL for a file that is sent as it is). */
struct coded_asset {
	unsigned char *data;
	size_t len;
};
static struct coded_asset *coded_assets;

static void assets_code(void)
{
	coded_assets = calloc(qy_nassets, sizeof(*coded_assets));
	for (size_t i = 0; coded_assets && i < qy_nassets; i++) {
		const struct embedded_file *f = &qy_assets[i];
		struct coded_asset *a = &coded_assets[i];

		if (f->len <= ENC_MIN_SIZE || !enc_compressible(assets_type(f->name)))
			continue;
		a->data = enc_gzip(f->data, f->len, 9, &a->len);
		if (a->data && a->len >= f->len) {
			free(a->data);
			a->data = NULL;
		}
	}
}

static void assets_uncode(void)
{
	for (size_t i = 0; coded_assets && i < qy_nassets; i++)
		free(coded_assets[i].data);
	free(coded_assets);
	coded_assets = NULL;
}

static enum MHD_Result serve_static(struct MHD_Connection *c, struct conn_ctx *x,
                                    const char *method, const char *url)
{
	const struct embedded_file *f = assets_find(url);
	const struct coded_asset *a;
	struct MHD_Response *resp;
	struct coding k;
	char etag[24], coded[32];
	const char *tags[2], *held;
	enum MHD_Result ret;

	x->route = METRIC_ROUTE_STATIC;
	if (!f)
		return fail(c, x, ERR_NOT_FOUND, "not_found", "no such page");
	a = coded_assets ? &coded_assets[f - qy_assets] : NULL;
	snprintf(etag, sizeof(etag), "\"%08x\"", assets_hash(f));
	k.varies = enc_compressible(assets_type(f->name));
	k.gzip = a && a->data && client_takes_gzip(c);
	current_tags(etag, &k, coded, sizeof(coded), tags);
	if ((held = not_modified_tag(c, method, tags, k.gzip ? 2 : 1)))
		return send_not_modified(c, x, held, CACHE_STATIC, k.varies, CONSOLE_CSP);
	if (k.gzip)
		resp = MHD_create_response_from_buffer(a->len, a->data, MHD_RESPMEM_PERSISTENT);
	else
		resp = MHD_create_response_from_buffer(f->len, (void *)f->data,
		                                       MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	x->status = 200;
	x->bytes = k.gzip ? a->len : f->len;
	common_headers(resp, x->request_id);
	MHD_add_response_header(resp, "Content-Type", assets_type(f->name));
	if (k.gzip)
		MHD_add_response_header(resp, "Content-Encoding", "gzip");
	if (k.varies)
		MHD_add_response_header(resp, "Vary", "Accept-Encoding");
	MHD_add_response_header(resp, "ETag", tags[0]);
	MHD_add_response_header(resp, "Cache-Control", CACHE_STATIC);
	MHD_add_response_header(resp, "Content-Security-Policy", CONSOLE_CSP);
	ret = MHD_queue_response(c, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return ret;
}

/*
 * 200 "ok" when the database can be written, 503 "degraded" when it
 * cannot (read-only, full, I/O errors): the writer's record of its last
 * failed write and a look at the file system (writer_health).  It
 * recovers by itself: the next write that lands, or the writer's probe,
 * clears the record.
 */
static enum MHD_Result serve_health(struct MHD_Connection *c, struct conn_ctx *x)
{
	struct buf out = BUF_INIT;
	struct err e;
	struct store *db;
	struct writer_health h;
	struct writer_stats ws;
	char at[21];

	x->route = METRIC_ROUTE_HEALTH;
	err_clear(&e);
	if (!(db = worker_db(&e)))
		return send_error(c, x, &e, NULL);
	writer_health(&h);
	writer_stats(&ws);
	/* search_pending: enterprises (ids) not yet in the search index
	 * after a bulk import, -1 before the server has looked. */
	buf_printf(&out,
	           "{\"status\":\"%s\",\"version\":\"%s\",\"schema\":%d,\"search_pending\":%lld,"
	           "\"database\":{\"writable\":%s",
	           h.writable ? "ok" : "degraded", QY_VERSION, store_schema_version(db),
	           (long long)search_indexer_pending(), h.writable ? "true" : "false");
	/* Why it cannot be written, and since when (null: seen without a
	 * failed write, on the file system). */
	if (!h.writable) {
		buf_adds(&out, ",\"code\":");
		buf_json_str(&out, h.code);
		buf_adds(&out, ",\"message\":");
		buf_json_str(&out, h.message);
		time_iso((time_t)h.since, at);
		buf_adds(&out, ",\"since\":");
		buf_json_str(&out, h.since ? at : NULL);
	}
	time_iso((time_t)h.last_write, at);
	buf_adds(&out, ",\"last_write\":");
	buf_json_str(&out, h.last_write ? at : NULL);
	buf_printf(&out, ",\"free_bytes\":%lld,\"writes\":%llu,\"commits\":%llu}}\n", h.free_bytes,
	           ws.jobs, ws.commits);
	return send_buf(c, x, h.writable ? 200 : 503, "application/json; charset=utf-8", &out,
	                NULL);
}

static enum MHD_Result serve_metrics(struct MHD_Connection *c, struct conn_ctx *x)
{
	struct buf out = BUF_INIT;

	x->route = METRIC_ROUTE_METRICS;
	/* Counters tell an outsider which routes fail and how busy the town
	 * is; they are for a scraper on this machine (or behind a proxy). */
	{
		const union MHD_ConnectionInfo *ci =
		    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		const struct sockaddr *sa = ci ? ci->client_addr : NULL;
		int loopback =
		    sa &&
		    ((sa->sa_family == AF_INET &&
		      (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127) ||
		     (sa->sa_family == AF_INET6 &&
		      IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)sa)->sin6_addr)));
		if (!loopback)
			return fail(c, x, ERR_FORBIDDEN, "forbidden",
			            "metrics are served to this machine only");
	}
	metrics_render(&out);
	return send_buf(c, x, 200, "text/plain; version=0.0.4; charset=utf-8", &out, NULL);
}

/* OPTIONS under /open311/v2/: a browser's CORS preflight (open311.c). */
static enum MHD_Result serve_open311_options(struct MHD_Connection *c, struct conn_ctx *x)
{
	struct MHD_Response *resp =
	    MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (!resp)
		return MHD_NO;
	common_headers(resp, x->request_id);
	app->open311_cors(cfg->open311_origins,
	                  MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin"), 1, add_header,
	                  resp);
	x->status = 204;
	ret = MHD_queue_response(c, MHD_HTTP_NO_CONTENT, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void new_request_id(struct MHD_Connection *c, char out[33])
{
	const char *given = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Request-Id");
	size_t n;

	/* A proxy's id is kept so that logs line up across hops, if it is
	 * short and plain enough to log safely. */
	if (given && (n = strlen(given)) > 0 && n <= 32 &&
	    strspn(given, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") ==
	        n) {
		memcpy(out, given, n + 1);
		return;
	}
	secret_token(out, 16);
}

/* ------------------------------------------------------------------ */
/* Refusals before routing                                              */

/*
 * An answer after which the connection is closed: the request's framing
 * cannot be trusted, and so neither can the bytes after it, which a
 * proxy in front may take for another request (RFC 9112 §6.3).
 */
static enum MHD_Result send_closing(struct MHD_Connection *c, struct conn_ctx *x, int status,
                                    const char *code, const char *message)
{
	struct buf out = BUF_INIT;
	struct MHD_Response *resp;
	struct err e;
	enum MHD_Result ret;
	size_t len;
	char *data;

	err_clear(&e);
	err_set(&e, ERR_MALFORMED, code, NULL, "%s", message);
	render_error(&out, &e, x->request_id);
	data = buf_detach(&out, &len);
	resp = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(data);
		return MHD_NO;
	}
	common_headers(resp, x->request_id);
	MHD_add_response_header(resp, "Content-Type", "application/json; charset=utf-8");
	MHD_add_response_header(resp, "Vary", "Accept-Encoding");
	MHD_add_response_header(resp, "Cache-Control", CACHE_API);
	MHD_add_response_header(resp, "Connection", "close");
	x->refused = 1;
	x->status = status;
	x->bytes = len;
	ret = MHD_queue_response(c, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* The header fields that say where a request's body ends. */
struct framing {
	int cl_lines, te_lines, bad_cl, spaced_name;
	const char *bad_cl_value;
	const char *te;
};

static enum MHD_Result framing_field(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
	struct framing *f = cls;

	(void)kind;
	if (!key)
		return MHD_YES;
	if (strpbrk(key, " \t"))
		f->spaced_name = 1;
	if (strcasecmp(key, "Content-Length") == 0) {
		f->cl_lines++;
	} else if (strcasecmp(key, RX_MARK) == 0) {
		/* A Content-Length libmicrohttpd could not read (rxscan.h). */
		f->bad_cl = 1;
		f->bad_cl_value = value ? value : "";
	} else if (strcasecmp(key, "Transfer-Encoding") == 0) {
		f->te_lines++;
		f->te = value ? value : "";
	}
	return MHD_YES;
}

/*
 * Refuses, and closes the connection after, a request whose body's end
 * the server and a proxy in front of it might see in different places
 * (RFC 9112 §6.1, §6.3): both Content-Length and Transfer-Encoding,
 * several Content-Lengths or one that is not a number (a list such as
 * "5, 6"), whitespace between a field's name and its colon (§5.1), a
 * transfer coding other than chunked (501), or any in HTTP/1.0.  A
 * Content-Length of digits beyond 64 bits is 413.  Returns 1 when it
 * answered.
 */
static int refuse_framing(struct MHD_Connection *c, struct conn_ctx *x, const char *version,
                          enum MHD_Result *ret)
{
	struct framing f;

	memset(&f, 0, sizeof(f));
	MHD_get_connection_values(c, MHD_HEADER_KIND, framing_field, &f);
	if (f.spaced_name)
		*ret = send_closing(c, x, 400, "malformed_header",
		                    "a header field has whitespace between its name and the colon");
	else if (f.te_lines && (f.cl_lines || f.bad_cl))
		*ret = send_closing(c, x, 400, "ambiguous_length",
		                    "a request may not carry both Content-Length and "
		                    "Transfer-Encoding");
	else if (f.cl_lines + f.bad_cl > 1)
		*ret = send_closing(c, x, 400, "ambiguous_length",
		                    "a request may carry one Content-Length only");
	else if (f.bad_cl && *f.bad_cl_value &&
	         strspn(f.bad_cl_value, "0123456789") == strlen(f.bad_cl_value))
		*ret = send_closing(c, x, 413, "body_too_large",
		                    "the request body is larger than the limit");
	else if (f.bad_cl)
		*ret = send_closing(c, x, 400, "bad_content_length",
		                    "Content-Length must be one whole number of bytes");
	else if (f.te_lines && version && strcmp(version, "HTTP/1.0") == 0)
		*ret = send_closing(c, x, 400, "bad_transfer_encoding",
		                    "HTTP/1.0 has no Transfer-Encoding");
	else if (f.te_lines && (f.te_lines > 1 || strcasecmp(f.te, "chunked") != 0))
		*ret = send_closing(c, x, 501, "unsupported_transfer_encoding",
		                    "the only transfer coding this server takes is chunked");
	else
		return 0;
	return 1;
}

/* POST /api/v1/public/cases (the suggestion form) and Open311's POST
 * requests (in *format): the public intake, limited in rate. */
static int is_intake(const char *method, const char *url, const char **format)
{
	char path[64];

	*format = NULL;
	if (strcmp(method, "POST"))
		return 0;
	if (strcmp(url, "/api/v1/public/cases") == 0)
		return 1;
	return strncmp(url, "/open311/v2/", 12) == 0 &&
	       !app->open311_split(url, path, sizeof(path), format) &&
	       strcmp(path, "/open311/v2/requests") == 0;
}

/* The route a path is known to take, for the metrics and the log. */
static int post_route(const struct route *routes, int n, const char *pattern)
{
	for (int i = 0; i < n; i++)
		if (strcmp(routes[i].method, "POST") == 0 &&
		    strcmp(routes[i].pattern, pattern) == 0)
			return i;
	return -1;
}

/* 429 with Retry-After; Open311's clients get its list of errors, with
 * 429 as the code (open311_error() says 400 for every status the
 * specification does not name). */
static enum MHD_Result send_limited(struct MHD_Connection *c, struct conn_ctx *x,
                                    const char *format, int wait, const char *scope)
{
	struct buf out = BUF_INIT;
	struct req r;
	struct err e;
	char msg[160];

	snprintf(msg, sizeof(msg), "too many submissions %s; try again in %d s",
	         strcmp(scope, "total") ? "from this address" : "at the moment", wait);
	memset(&r, 0, sizeof(r));
	r.retry_after = wait;
	x->format = format;
	snprintf(x->error, sizeof(x->error), "too_many_requests");
	if (format && strcmp(format, "xml") == 0) {
		/* msg holds nothing XML would escape */
		buf_printf(
		    &out,
		    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<errors><error><code>429</code>"
		    "<description>%s</description></error></errors>",
		    msg);
		return send_buf(c, x, 429, app->open311_content_type(format), &out, &r);
	}
	if (format) {
		buf_adds(&out, "[{\"code\":429,\"description\":");
		buf_json_str(&out, msg);
		buf_adds(&out, "}]");
		return send_buf(c, x, 429, app->open311_content_type(format), &out, &r);
	}
	err_clear(&e);
	err_set(&e, ERR_TOO_MANY, "too_many_requests", NULL, "%s", msg);
	render_error(&out, &e, x->request_id);
	return send_buf(c, x, 429, "application/json; charset=utf-8", &out, &r);
}

/*
 * Once a request is read, before it is routed: /healthz and /metrics
 * answer GET and HEAD only, and the public intake keeps to its rates.
 * Returns 1 when it answered.
 */
static int screen_request(struct MHD_Connection *c, struct conn_ctx *x, const char *method,
                          const char *url, enum MHD_Result *ret)
{
	int health = strcmp(url, "/healthz") == 0;
	const char *format, *scope = "";

	if ((health || strcmp(url, "/metrics") == 0) && strcmp(method, "GET") &&
	    strcmp(method, "HEAD")) {
		char msg[160];
		x->route = health ? METRIC_ROUTE_HEALTH : METRIC_ROUTE_METRICS;
		snprintf(x->allow, sizeof(x->allow), "GET, HEAD");
		snprintf(msg, sizeof(msg), "%.40s is not allowed here; allowed: GET, HEAD", method);
		*ret = fail(c, x, ERR_METHOD, "method_not_allowed", msg);
		return 1;
	}
	if (is_intake(method, url, &format)) {
		struct sockaddr_storage real;
		int wait = rate_intake(client_addr(c, &real), cfg->intake_per_ip, cfg->intake_total,
		                       &scope);
		if (wait) {
			int i = format
			            ? post_route(app->open311_routes, app->nopen311_routes,
			                         "/open311/v2/requests")
			            : post_route(app->routes, app->nroutes, "/api/v1/public/cases");
			if (i >= 0)
				x->route = format ? app->nroutes + i : i;
			*ret = send_limited(c, x, format, wait, scope);
			return 1;
		}
	}
	return 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
	struct conn_ctx *x = *con_cls;

	(void)cls;
	if (!x) {
		const char *cl;
		enum MHD_Result refused;
		int seen = guard_headers_in(c);
		x = calloc(1, sizeof(*x));
		if (!x)
			return MHD_NO;
		*con_cls = x;
		atomic_fetch_add(&in_flight, 1);
		x->start_us = time_mono_us();
		x->route = METRIC_ROUTE_NONE;
		x->body.max = (size_t)cfg->max_body;
		new_request_id(c, x->request_id);
		if (seen & GUARD_FOLDED)
			return send_closing(c, x, 400, "malformed_header",
			                    "a header field is folded over several lines");
		if (refuse_framing(c, x, version, &refused))
			return refused;
		/* libmicrohttpd has decoded it into the path and the query's
		 * values, which it cuts short. */
		if (seen & GUARD_NUL) {
			x->refused = 1;
			return fail(c, x, ERR_MALFORMED, "nul_in_target",
			            "the path or the query holds an encoded NUL (%00)");
		}
		cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
		if (cl && strtoull(cl, NULL, 10) > (unsigned long long)cfg->max_body) {
			/* A client that waits for "100 Continue" hears 413 before
			 * it sends anything.  Others are already sending: their
			 * body is read and dropped so that they can read the
			 * answer, unless it is absurdly large. */
			if (MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Expect") ||
			    strtoull(cl, NULL, 10) > 16 * (unsigned long long)cfg->max_body) {
				x->refused = 1;
				return fail(c, x, ERR_TOO_LARGE, "body_too_large",
				            "the request body is larger than the limit");
			}
			x->overflow = 1;
		}
		return MHD_YES;
	}
	if (*upload_size) {
		size_t n = *upload_size;
		*upload_size = 0;
		if (x->refused)
			return MHD_YES;
		/* A client that trickles its body ties up a worker's memory;
		 * the idle timeout alone does not catch it.  This version of
		 * libmicrohttpd cannot answer in the middle of a body, so the
		 * connection is closed. */
		if (time_mono_us() - x->start_us > (int64_t)cfg->request_timeout * 1000000) {
			x->status = 408;
			return MHD_NO;
		}
		if (x->overflow) {
			/* Past the limit the body is read and dropped, so that
			 * the client hears 413 at its end; a client that keeps
			 * sending far beyond is cut off. */
			x->overflow += n;
			return x->overflow > 16 * (size_t)cfg->max_body ? MHD_NO : MHD_YES;
		}
		buf_add(&x->body, upload_data, n);
		if (x->body.failed) {
			x->overflow = x->body.len + n;
			buf_release(&x->body);
		}
		return MHD_YES;
	}
	if (x->overflow)
		return fail(c, x, ERR_TOO_LARGE, "body_too_large",
		            "the request body is larger than the limit");
	if (x->refused)
		return MHD_YES;
	/* Once: a request that waited for the writer comes back here. */
	if (!x->deferred) {
		enum MHD_Result screened;
		if (screen_request(c, x, method, url, &screened))
			return screened;
	}
	if (strncmp(url, "/api/", 5) == 0)
		return serve_api(c, x, method, url, 0);
	if (strncmp(url, "/open311/v2/", 12) == 0)
		return strcmp(method, "OPTIONS") == 0 ? serve_open311_options(c, x)
		                                      : serve_api(c, x, method, url, 1);
	/* Every path under /q/ is a service card's link (api/cards.c); one
	 * of more than one segment, or none, is no token and is answered as
	 * a wrong one is, by the same handler. */
	if (strncmp(url, "/q/", 3) == 0)
		return serve_api(c, x, method, url[3] && !strchr(url + 3, '/') ? url : "/q/-", 0);
	/* The catalogue in HSDS's form for other directories (api/hsds.c). */
	if (strncmp(url, "/hsds/", 6) == 0)
		return serve_api(c, x, method, url, 0);
	/* The bulletin's Atom feeds (api/bulletin_feed.c); every other path
	 * under /bulletin is a page of the console. */
	if (strcmp(url, "/bulletin.atom") == 0 ||
	    (strncmp(url, "/bulletin/tags/", 15) == 0 && strlen(url) > 20 &&
	     strcmp(url + strlen(url) - 5, ".atom") == 0))
		return serve_api(c, x, method, url, 0);
	if (strcmp(url, "/healthz") == 0)
		return serve_health(c, x);
	if (strcmp(url, "/metrics") == 0)
		return serve_metrics(c, x);
	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return fail(c, x, ERR_METHOD, "method_not_allowed", "only GET is allowed here");
	return serve_static(c, x, method, url);
}

static void log_request(struct MHD_Connection *c, const struct conn_ctx *x, int64_t us)
{
	char ts[21];
	struct buf line = BUF_INIT;

	if (!access_log)
		return;
	(void)c;
	time_now_iso(ts);
	buf_printf(&line,
	           "{\"ts\":\"%s\",\"request_id\":\"%s\",\"status\":%d,\"bytes\":%zu,"
	           "\"us\":%lld,\"route\":",
	           ts, x->request_id, x->status, x->bytes, (long long)us);
	if (x->route >= 0 && x->route < app->nroutes) {
		buf_printf(&line, "\"%s %s\"", app->routes[x->route].method,
		           app->routes[x->route].pattern);
	} else if (x->route >= app->nroutes && x->route < app->nroutes + app->nopen311_routes) {
		/* Open311's routes are numbered after the API's (as in the
		 * metrics), not indexes into app->routes. */
		const struct route *o = &app->open311_routes[x->route - app->nroutes];
		buf_printf(&line, "\"%s %s\"", o->method, o->pattern);
	} else {
		buf_json_str(&line, x->route == METRIC_ROUTE_STATIC    ? "static"
		                    : x->route == METRIC_ROUTE_HEALTH  ? "healthz"
		                    : x->route == METRIC_ROUTE_METRICS ? "metrics"
		                                                       : "unmatched");
	}
	buf_adds(&line, ",\"user\":");
	buf_json_str(&line, x->user);
	if (x->error[0]) {
		buf_adds(&line, ",\"error\":");
		buf_json_str(&line, x->error);
	}
	buf_adds(&line, "}\n");
	pthread_mutex_lock(&log_lock);
	fwrite(buf_cstr(&line), 1, line.len, access_log);
	pthread_mutex_unlock(&log_lock);
	buf_release(&line);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	struct conn_ctx *x = *con_cls;
	int64_t us;

	(void)cls;
	(void)toe;
	if (!x)
		return;
	us = time_mono_us() - x->start_us;
	if (x->status)
		metrics_record(x->route, x->status, us);
	log_request(c, x, us);
	buf_release(&x->body);
	free(x);
	*con_cls = NULL;
	atomic_fetch_sub(&in_flight, 1);
}

/* The end of a request, for the connection guard too: the deadline for
 * the next request's headers starts. */
static void on_completed_guarded(void *cls, struct MHD_Connection *c, void **con_cls,
                                 enum MHD_RequestTerminationCode toe)
{
	if (toe == MHD_REQUEST_TERMINATED_COMPLETED_OK)
		guard_request_done(c);
	on_completed(cls, c, con_cls, toe);
}

static int parse_listen(const char *s, struct sockaddr_in *sa, struct err *err)
{
	char host[128];
	const char *colon = strrchr(s, ':');
	long port;
	char *end;

	if (!colon || (size_t)(colon - s) >= sizeof(host))
		return err_set(err, ERR_INVALID, "invalid_setting", "listen",
		               "listen: '%s' must be address:port, e.g. 127.0.0.1:8080", s);
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	port = strtol(colon + 1, &end, 10);
	if (*end || port < 0 || port > 65535)
		return err_set(err, ERR_INVALID, "invalid_setting", "listen",
		               "listen: port '%s' must be 0-65535", colon + 1);
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (!host[0] || strcmp(host, "*") == 0)
		sa->sin_addr.s_addr = htonl(INADDR_ANY);
	else if (strcmp(host, "localhost") == 0)
		sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	else if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return err_set(err, ERR_INVALID, "invalid_setting", "listen",
		               "listen: '%s' is not an IPv4 address", host);
	return 0;
}

int server_run(const struct config *config, const struct http_app *served, struct err *err)
{
	struct MHD_Daemon *d;
	struct sockaddr_in sa;
	struct store *probe;
	sigset_t set;
	int sig;
	const union MHD_DaemonInfo *info;
	int64_t deadline;
	MHD_socket ls;
	unsigned connections;

	cfg = config;
	app = served;
	metrics_routes(app);
	if (parse_listen(cfg->listen, &sa, err))
		return -1;
	/* Open once up front: migrations run here, and a bad file fails the
	 * start instead of the first request.  A database that several
	 * servers share is migrated by 'qunyan upgrade', never by one of
	 * them starting: the others would run on a schema they do not know. */
	if (store_open(&probe, cfg->db, store_target_shared(cfg->db) ? 0 : STORE_MIGRATE, err))
		return -1;
	/* The open cases' shingles, for duplicates on intake, loaded once
	 * the other servers' changes are heard (case_follow.h). */
	if (case_follow_start(cfg->db, err)) {
		store_close(probe);
		return -1;
	}
	case_follow_subscribed(10000);
	if (cases_index_load(probe, err)) {
		store_close(probe);
		case_follow_stop();
		return -1;
	}
	store_close(probe);
	case_follow_loaded();
	if (writer_start(cfg->db, cfg->group_commit, err)) {
		case_follow_stop();
		return -1;
	}
	if (maintenance_start(cfg, err)) {
		writer_stop();
		case_follow_stop();
		return -1;
	}
	if (strcmp(cfg->access_log, "off") == 0)
		access_log = NULL;
	else if (strcmp(cfg->access_log, "-") == 0)
		access_log = stderr;
	else if (!(access_log = fopen(cfg->access_log, "a")))
		return err_set(err, ERR_INVALID, "cannot_open", "access-log",
		               "cannot open access log '%s'", cfg->access_log);

	/* Workers inherit this mask, so the signals reach only sigwait(). */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* Without the coded files (out of memory) they are sent as they are. */
	assets_code();
	/* The header deadline and the file limit (guard.h); the connection
	 * limit is what the file limit allows. */
	d = NULL;
	if (!guard_start(cfg, &connections))
		d = MHD_start_daemon(
		    MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME, 0, NULL,
		    NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads,
		    MHD_OPTION_CONNECTION_LIMIT, connections, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
		    (unsigned)cfg->max_per_ip, MHD_OPTION_CONNECTION_TIMEOUT,
		    (unsigned)cfg->idle_timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
		    (size_t)cfg->max_header, MHD_OPTION_NOTIFY_COMPLETED, on_completed_guarded,
		    NULL, MHD_OPTION_NOTIFY_CONNECTION, guard_connection, NULL,
		    MHD_OPTION_URI_LOG_CALLBACK, guard_uri, NULL, MHD_OPTION_LISTEN_BACKLOG_SIZE,
		    1024, MHD_OPTION_END);
	if (!d) {
		guard_stop();
		maintenance_stop();
		writer_stop();
		case_follow_stop();
		cases_index_clear();
		assets_uncode();
		return err_set(err, ERR_UNAVAILABLE, "cannot_listen", "listen",
		               "cannot serve on %s (in use, or not an address of this machine)",
		               cfg->listen);
	}
	/* Rows a bulk import left out of the search index are indexed
	 * while the server serves, not before: searches are right without
	 * the index, only slower. */
	if (search_indexer_start(cfg->db, err)) {
		MHD_stop_daemon(d);
		guard_stop();
		maintenance_stop();
		writer_stop();
		case_follow_stop();
		cases_index_clear();
		assets_uncode();
		return -1;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	snprintf(bound_listen, sizeof(bound_listen), "%s:%u", inet_ntoa(sa.sin_addr),
	         info ? info->port : ntohs(sa.sin_port));
	printf("qunyan: serving on http://%s:%u/ (database %s, %d threads)\n",
	       inet_ntoa(sa.sin_addr), info ? info->port : ntohs(sa.sin_port),
	       /* A URL may carry a password. */
	       store_target_shared(cfg->db) ? "on PostgreSQL" : cfg->db, cfg->threads);
	fflush(stdout);

	do {
		if (sigwait(&set, &sig))
			break;
	} while (sig != SIGTERM && sig != SIGINT);

	/* Stop accepting, let the requests in flight finish, then stop.  The
	 * listening socket is closed only after the daemon has stopped: its
	 * thread takes the socket out of its epoll set in its own time after
	 * the quiesce, and a socket closed before that makes the removal fail
	 * and libmicrohttpd abort. */
	ls = MHD_quiesce_daemon(d);
	deadline = time_mono_us() + 10 * 1000000;
	while (atomic_load(&in_flight) > 0 && time_mono_us() < deadline)
		usleep(10000);
	MHD_stop_daemon(d);
	if (ls != MHD_INVALID_SOCKET)
		close(ls);
	guard_stop();
	search_indexer_stop();
	maintenance_stop();
	writer_stop();
	case_follow_stop();
	cases_index_clear();
	placement_clear();
	assets_uncode();
	pthread_mutex_lock(&dbs_lock);
	for (size_t i = 0; i < ndbs; i++)
		store_close(dbs[i]);
	free(dbs);
	dbs = NULL;
	ndbs = 0;
	pthread_mutex_unlock(&dbs_lock);
	if (access_log && access_log != stderr)
		fclose(access_log);
	else if (access_log)
		fflush(access_log);
	printf("qunyan: stopped\n");
	return 0;
}
