#include "config.h"

#include <errno.h>
#include <ini.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum kind { K_STR, K_INT, K_BOOL };

static const struct setting {
	const char *name; /* INI key in [server] and flag --name */
	const char *env;
	enum kind kind;
	size_t offset;
	size_t size;
	long min, max;
	const char *help;
} settings[] = {
#define S(name, env, field, help)                                                                  \
	{                                                                                          \
		name, env, K_STR, offsetof(struct config, field),                                  \
		    sizeof(((struct config *)0)->field), 0, 0, help                                \
	}
#define I(name, env, field, lo, hi, help)                                                          \
	{                                                                                          \
		name, env, K_INT, offsetof(struct config, field),                                  \
		    sizeof(((struct config *)0)->field), lo, hi, help                              \
	}
    S("db", "QUNYAN_DB", db, "database file (var/qunyan.db)"),
    S("listen", "QUNYAN_LISTEN", listen, "address:port to serve on (127.0.0.1:8080)"),
    I("threads", "QUNYAN_THREADS", threads, 1, 256, "worker threads (number of cores)"),
    I("max-body", "QUNYAN_MAX_BODY", max_body, 1024, 1L << 30,
      "largest request body in bytes, else 413 (1048576)"),
    I("max-connections", "QUNYAN_MAX_CONNECTIONS", max_connections, 1, 100000,
      "open connections in total (4096)"),
    I("max-per-ip", "QUNYAN_MAX_PER_IP", max_per_ip, 1, 100000,
      "open connections per client address (128)"),
    S("trusted-proxy", "QUNYAN_TRUSTED_PROXY", trusted_proxy,
      "address of a reverse proxy whose X-Real-IP names the client (none)"),
    I("max-header", "QUNYAN_MAX_HEADER", max_header, 4096, 1 << 20,
      "memory per connection for the request line and headers, bytes (32768)"),
    I("idle-timeout", "QUNYAN_IDLE_TIMEOUT", idle_timeout, 1, 86400,
      "seconds a connection may stay silent (30)"),
    I("request-timeout", "QUNYAN_REQUEST_TIMEOUT", request_timeout, 1, 86400,
      "seconds a client may take to send a body (30)"),
    I("header-timeout", "QUNYAN_HEADER_TIMEOUT", header_timeout, 1, 3600,
      "seconds a client may take to send the request line and headers (10)"),
    I("intake-per-ip", "QUNYAN_INTAKE_PER_IP", intake_per_ip, 0, 1000000,
      "public case submissions per minute from one address, else 429 (30; 0: no limit)"),
    I("intake-total", "QUNYAN_INTAKE_TOTAL", intake_total, 0, 1000000,
      "public case submissions per minute from all addresses, else 429 (600; 0: no limit)"),
    S("access-log", "QUNYAN_ACCESS_LOG", access_log,
      "access log: - for stderr, off, or a file (-)"),
    I("session-hours", "QUNYAN_SESSION_HOURS", session_hours, 1, 24 * 90,
      "hours a sign-in lasts (12)"),
    {"secure-cookies", "QUNYAN_SECURE_COOKIES", K_BOOL, offsetof(struct config, secure_cookies),
     sizeof(int), 0, 1, "mark cookies Secure, for serving behind HTTPS (0)"},
    I("login-max-failures", "QUNYAN_LOGIN_MAX_FAILURES", login_max_failures, 1, 1000,
      "failed sign-ins per user in the window before 429 (5)"),
    I("login-window", "QUNYAN_LOGIN_WINDOW", login_window, 1, 86400,
      "seconds failed sign-ins are counted over (900)"),
    I("alert-fall", "QUNYAN_ALERT_FALL", alert_fall_percent, 1, 100,
      "percent fall of an indicator that raises an alert (20)"),
    I("alert-visit-days", "QUNYAN_ALERT_VISIT_DAYS", alert_visit_days, 1, 3650,
      "days without a visit that raise an alert (90)"),
    I("reopen-days", "QUNYAN_REOPEN_DAYS", reopen_days, 0, 3650,
      "days after resolution a submitter may reopen a case, once (15)"),
    I("erase-days", "QUNYAN_ERASE_DAYS", erase_days, 0, 36500,
      "days after closing a resident's name and phone are erased (180)"),
    I("group-commit", "QUNYAN_GROUP_COMMIT", group_commit, 1, 100000,
      "most writes committed together; 1 commits each alone (256)"),
    I("maintenance-seconds", "QUNYAN_MAINTENANCE_SECONDS", maintenance_seconds, 1, 86400,
      "seconds between escalation, erasure and webhook rounds (30)"),
    I("webhook-timeout", "QUNYAN_WEBHOOK_TIMEOUT", webhook_timeout, 1, 600,
      "seconds a webhook receiver may take to answer (10)"),
    I("photo-max", "QUNYAN_PHOTO_MAX", photo_max, 1024, 1L << 30,
      "largest photo of a case in bytes (1048576; also bounded by max-body)"),
    S("open311-origins", "QUNYAN_OPEN311_ORIGINS", open311_origins,
      "origins whose pages may call Open311 (CORS): comma-separated, or * (none)"),
    S("public-url", "QUNYAN_PUBLIC_URL", public_url,
      "address the public reaches the server at, for the links on service cards "
      "(http:// and the listen address)"),
    S("city-hotline", "QUNYAN_CITY_HOTLINE", city_hotline,
      "the city's service hotline every card names; empty for none (12345)"),
    S("town-title", "QUNYAN_TOWN_TITLE", town_title,
      "title on the service booklet's cover, in Chinese (雁聚张堰)"),
    S("town-title-en", "QUNYAN_TOWN_TITLE_EN", town_title_en,
      "the booklet's title in English (Wild Geese Gathering in Zhangyan)"),
#undef S
#undef I
};
#define NSETTINGS (sizeof(settings) / sizeof(settings[0]))

void config_defaults(struct config *c)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	memset(c, 0, sizeof(*c));
	snprintf(c->db, sizeof(c->db), "var/qunyan.db");
	snprintf(c->listen, sizeof(c->listen), "127.0.0.1:8080");
	c->threads = n > 0 ? (int)n : 2;
	c->max_body = 1 << 20;
	c->max_connections = 4096;
	c->max_per_ip = 128;
	c->max_header = 32768;
	c->idle_timeout = 30;
	c->request_timeout = 30;
	c->header_timeout = 10;
	c->intake_per_ip = 30;
	c->intake_total = 600;
	snprintf(c->access_log, sizeof(c->access_log), "-");
	c->session_hours = 12;
	c->login_max_failures = 5;
	c->login_window = 900;
	c->alert_fall_percent = 20;
	c->alert_visit_days = 90;
	c->reopen_days = 15;
	c->erase_days = 180;
	c->group_commit = 256;
	c->maintenance_seconds = 30;
	c->webhook_timeout = 10;
	c->photo_max = 1 << 20;
	snprintf(c->city_hotline, sizeof(c->city_hotline), "12345");
	snprintf(c->town_title, sizeof(c->town_title), "雁聚张堰");
	snprintf(c->town_title_en, sizeof(c->town_title_en), "Wild Geese Gathering in Zhangyan");
}

static int set(struct config *c, const struct setting *s, const char *value, const char *origin,
               struct err *err)
{
	char *p = (char *)c + s->offset;
	char *end;
	long long v;

	if (s->kind == K_STR) {
		if (strlen(value) >= s->size)
			return err_set(err, ERR_INVALID, "invalid_setting", s->name,
			               "%s: %s is too long", origin, s->name);
		memcpy(p, value, strlen(value) + 1);
		return 0;
	}
	if (s->kind == K_BOOL && (!strcmp(value, "true") || !strcmp(value, "yes")))
		value = "1";
	if (s->kind == K_BOOL && (!strcmp(value, "false") || !strcmp(value, "no")))
		value = "0";
	errno = 0;
	v = strtoll(value, &end, 10);
	if (errno || end == value || *end || v < s->min || v > s->max)
		return err_set(err, ERR_INVALID, "invalid_setting", s->name,
		               "%s: %s must be a whole number from %ld to %ld, got '%s'", origin,
		               s->name, s->min, s->max, value);
	if (s->size == sizeof(int64_t))
		*(int64_t *)p = v;
	else
		*(int *)p = (int)v;
	return 0;
}

static const struct setting *find(const char *name)
{
	for (size_t i = 0; i < NSETTINGS; i++)
		if (strcmp(settings[i].name, name) == 0)
			return &settings[i];
	return NULL;
}

struct ini_ctx {
	struct config *c;
	struct err *err;
	const char *file;
};

static int on_ini(void *user, const char *section, const char *name, const char *value)
{
	struct ini_ctx *x = user;
	const struct setting *s;
	char origin[1100];

	if (strcmp(section, "server") != 0 && section[0])
		return 1; /* other sections belong to later features */
	snprintf(origin, sizeof(origin), "%s", x->file);
	if (!(s = find(name))) {
		err_set(x->err, ERR_INVALID, "unknown_setting", name, "%s: unknown setting '%s'",
		        x->file, name);
		return 0;
	}
	return set(x->c, s, value, origin, x->err) == 0;
}

int config_load(struct config *c, struct err *err)
{
	const char *file = getenv("QUNYAN_CONFIG");
	const char *v;

	if (c->config_file[0])
		file = c->config_file;
	if (file && *file) {
		struct ini_ctx x = {c, err, file};
		int rc = ini_parse(file, on_ini, &x);
		if (rc < 0)
			return err_set(err, ERR_INVALID, "cannot_read_config", NULL,
			               "cannot read config file '%s'", file);
		if (rc > 0) {
			err_set(err, ERR_INVALID, "bad_config", NULL,
			        "%s: line %d is not 'name = value'", file, rc);
			return -1;
		}
	}
	for (size_t i = 0; i < NSETTINGS; i++)
		if ((v = getenv(settings[i].env)) && *v &&
		    set(c, &settings[i], v, settings[i].env, err))
			return -1;
	return 0;
}

int config_flags(struct config *c, int *argc, char **argv, struct err *err)
{
	int out = 1;

	for (int i = 1; i < *argc; i++) {
		const char *a = argv[i];
		const struct setting *s;
		const char *value = NULL;
		char name[64];
		const char *eq;

		if (strncmp(a, "--", 2) != 0) {
			argv[out++] = argv[i];
			continue;
		}
		eq = strchr(a, '=');
		snprintf(name, sizeof(name), "%.*s", eq ? (int)(eq - a - 2) : (int)strlen(a + 2),
		         a + 2);
		if (strcmp(name, "config") == 0) {
			if (!eq && i + 1 >= *argc)
				return err_set(err, ERR_INVALID, "missing_value", "config",
				               "--config needs a file");
			snprintf(c->config_file, sizeof(c->config_file), "%s",
			         eq ? eq + 1 : argv[++i]);
			continue;
		}
		if (!(s = find(name))) {
			argv[out++] = argv[i];
			continue;
		}
		if (eq)
			value = eq + 1;
		else if (i + 1 < *argc)
			value = argv[++i];
		else
			return err_set(err, ERR_INVALID, "missing_value", s->name,
			               "--%s needs a value", s->name);
		if (set(c, s, value, "command line", err))
			return -1;
	}
	argv[out] = NULL;
	*argc = out;
	return 0;
}

void config_usage(void)
{
	printf("Settings (flag, environment; also 'name = value' under [server] in an INI\n"
	       "file given by --config FILE or QUNYAN_CONFIG):\n");
	for (size_t i = 0; i < NSETTINGS; i++)
		printf("  --%-20s %-26s %s\n", settings[i].name, settings[i].env, settings[i].help);
}
